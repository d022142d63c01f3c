package io.actord.daemon.access;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a request comes from, as the one authentication step found it: the host's admin (the Unix socket;
 * acts as the daemon's own account and passes every access check), a user (a token over TCP), a run (its
 * run token: the run's user, with the run noted, so "Actor.call" from inside a run runs as the same user
 * and a request queue lock taken from a run may be prolonged from the same run under any client key), or
 * nobody (no token over TCP: may read only what is shared with anyone who has the id).
 *
 * <p>{@link #userId()} and {@link #username()} fail with 401 for an anonymous caller, so code that acts
 * for "the caller's user" cannot act for nobody by mistake.
 */
public final class Caller {
    private enum Kind { ADMIN, USER, ANONYMOUS }

    private static final Caller ANONYMOUS = new Caller(Kind.ANONYMOUS, null, null, null);

    private final Kind kind;
    private final String userId;
    private final String username;
    private final String runId;

    private Caller(Kind kind, String userId, String username, String runId) {
        this.kind = kind;
        this.userId = userId;
        this.username = username;
        this.runId = runId;
    }

    /** The host's admin, acting as the daemon's own account {@code userId}. */
    public static Caller admin(String userId, String username) {
        return new Caller(Kind.ADMIN, Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(username,
                "username"), null);
    }

    public static Caller user(String userId, String username) {
        return new Caller(Kind.USER, Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(username,
                "username"), null);
    }

    /** A run's user, calling from (with the token of) run {@code runId}. */
    public static Caller ofRun(String userId, String username, String runId) {
        return new Caller(Kind.USER, Objects.requireNonNull(userId, "userId"), Objects.requireNonNull(username,
                "username"), Objects.requireNonNull(runId, "runId"));
    }

    public static Caller anonymous() {
        return ANONYMOUS;
    }

    /** The user the request acts for; 401 token-not-provided for an anonymous caller. */
    public String userId() {
        requireUser();
        return userId;
    }

    public String username() {
        requireUser();
        return username;
    }

    /** The run whose token the request carries. */
    public Optional<String> run() {
        return Optional.ofNullable(runId);
    }

    public boolean isAdmin() {
        return kind == Kind.ADMIN;
    }

    public boolean isAnonymous() {
        return kind == Kind.ANONYMOUS;
    }

    /** Whether the caller acts for user {@code id} (false for an anonymous caller). */
    public boolean is(String id) {
        return userId != null && userId.equals(id);
    }

    /** Passes for anyone but an anonymous caller, who gets 401 token-not-provided. */
    public void requireUser() {
        if (kind == Kind.ANONYMOUS) {
            throw new ApiException(ErrorType.TOKEN_NOT_PROVIDED, "this request needs an API token (Authorization:"
                    + " Bearer <token>, or ?token=)");
        }
    }

    @Override
    public String toString() {
        return switch (kind) {
            case ADMIN -> "admin";
            case ANONYMOUS -> "anonymous";
            case USER -> "user=" + userId + (runId == null ? "" : " run=" + runId);
        };
    }
}
