package io.actord.daemon.actor;

import java.time.Instant;

/**
 * An account that owns actors and runs. Until the users issue lands there is one, created at first start
 * (see {@link ActorService#owner()}).
 */
public record User(int schemaVersion, String id, String username, Instant createdAt) {
    public static final int SCHEMA = 1;
}
