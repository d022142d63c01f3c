package io.actord.daemon.storage;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is using a storage: the user the request acts for, and the run it comes from when it arrives on a
 * run's in-run endpoint. A request queue lock taken from a run may be prolonged or released from the same
 * run under any client key (Apify: "locked by the same client key or from the same Actor run").
 */
public record Caller(String userId, String username, String runId) {
    public Caller {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(username, "username");
    }

    public static Caller user(String userId, String username) {
        return new Caller(userId, username, null);
    }

    public Optional<String> run() {
        return Optional.ofNullable(runId);
    }
}
