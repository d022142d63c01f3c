package io.actord.daemon.user;

import java.time.Instant;

/**
 * An account: it owns actors, runs and storages, and its runs' memory together must stay within its limit.
 *
 * @param memoryLimitMbytes the most memory its active runs may have together; null = the daemon's default
 */
public record User(int schemaVersion, String id, String username, Instant createdAt, Integer memoryLimitMbytes) {
    public static final int SCHEMA = 1;

    public User withMemoryLimit(Integer mb) {
        return new User(SCHEMA, id, username, createdAt, mb);
    }
}
