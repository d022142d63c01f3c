package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.user.Tokens;
import io.actord.daemon.user.User;
import io.actord.daemon.user.UserService;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The daemon's authentication, by listener:
 * <ul>
 *   <li>the Unix socket: the host's admin (access to the socket file is the permission), acting as the
 *       local account; a token there is not looked at;</li>
 *   <li>TCP: {@code Authorization: Bearer <token>} or {@code ?token=} (Apify accepts both). A user token acts
 *       as its user, a run token as its run's user while the run is active. No token: anonymous (who may
 *       only read what is shared with anyone); a token that is not a live one: 401 invalid-token;</li>
 *   <li>a run's in-run endpoint: that run's token only.</li>
 * </ul>
 * Messages never repeat the token. A deleted user's tokens are deleted with them, and nothing is cached,
 * so a token stops working with the write that revokes it.
 */
public final class RequestAuthenticator implements Authenticator {
    /** Longer than any token by far; a longer value is refused without being looked at. */
    private static final int MAX_TOKEN_CHARS = 512;

    private final UserService users;
    private final Predicate<String> runActive;

    /** @param runActive whether a run is READY, RUNNING, TIMING-OUT or ABORTING (its token works only then) */
    public RequestAuthenticator(UserService users, Predicate<String> runActive) {
        this.users = users;
        this.runActive = runActive;
    }

    @Override
    public Caller authenticate(Listener listener, String runId, HttpHeaders headers, Map<String, List<String>> query) {
        if (listener == Listener.UNIX) {
            User local = users.local();
            return Caller.admin(local.id(), local.username());
        }
        Optional<String> token = token(headers, query);
        if (token.isEmpty()) {
            if (listener == Listener.RUN) {
                throw new ApiException(ErrorType.TOKEN_NOT_PROVIDED, "this endpoint needs the run's token"
                        + " (APIFY_TOKEN)");
            }
            return Caller.anonymous();
        }
        Optional<Caller> caller = resolve(token.get());
        if (listener == Listener.RUN && caller.flatMap(Caller::run).filter(runId::equals).isEmpty()) {
            throw new ApiException(ErrorType.INVALID_TOKEN, "the token is not this run's token");
        }
        return caller.orElseThrow(() -> new ApiException(ErrorType.INVALID_TOKEN, Tokens.wellFormed(token.get())
                ? "the token is not valid: it was revoked, or its user or run no longer exists"
                : "the token is not valid: it does not have the shape of an actord token (truncated?)"));
    }

    /** Who a token stands for, if it is live. */
    private Optional<Caller> resolve(String secret) {
        return users.tokens().find(secret).flatMap(t -> users.find(t.userId()).flatMap(u -> {
            if (t.runId() == null) {
                return Optional.of(Caller.user(u.id(), u.username()));
            }
            return runActive.test(t.runId()) ? Optional.of(Caller.ofRun(u.id(), u.username(), t.runId()))
                    : Optional.empty();
        }));
    }

    /**
     * The token from the one place it may be: the Authorization header (Bearer only) or the {@code token}
     * query parameter. Given in both, the two must agree.
     */
    static Optional<String> token(HttpHeaders headers, Map<String, List<String>> query) {
        List<String> auth = headers.getAll(HttpHeaderNames.AUTHORIZATION);
        if (auth.size() > 1) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request has more than one Authorization header");
        }
        Optional<String> fromHeader = auth.stream().findFirst().map(RequestAuthenticator::bearer);
        List<String> q = query.getOrDefault("token", List.of());
        if (q.size() > 1) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request has more than one token parameter");
        }
        Optional<String> fromQuery = q.stream().filter(v -> !v.isEmpty()).findFirst().map(RequestAuthenticator::checked);
        if (fromHeader.isPresent() && fromQuery.isPresent() && !fromHeader.get().equals(fromQuery.get())) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request has two different tokens (Authorization"
                    + " header and token parameter)");
        }
        return fromHeader.or(() -> fromQuery);
    }

    private static String bearer(String header) {
        String h = header.trim();
        int space = h.indexOf(' ');
        if (space < 0 || !h.substring(0, space).equalsIgnoreCase("Bearer")) {
            throw new ApiException(ErrorType.INVALID_TOKEN, "the Authorization header must be 'Bearer <token>'");
        }
        return checked(h.substring(space + 1).trim());
    }

    /** A token's characters: letters, digits, '_' and '-' only, and not absurdly long. */
    private static String checked(String token) {
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS
                || !token.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '_' || c == '-'))) {
            throw new ApiException(ErrorType.INVALID_TOKEN, "the token is not valid: it has characters or a length"
                    + " no token has");
        }
        return token;
    }
}
