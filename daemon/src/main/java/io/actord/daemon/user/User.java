package io.actord.daemon.user;

import java.time.Instant;

/**
 * An account: it owns actors, runs and storages; its runs' memory together, and its storages' content
 * together, must stay within its limits.
 *
 * @param memoryLimitMbytes  the most memory its active runs may have together; null = the daemon's default
 * @param storageLimitMbytes the most its storages may hold together; null (also in records stored before
 *                           there was a storage limit) = the daemon's default
 */
public record User(int schemaVersion, String id, String username, Instant createdAt, Integer memoryLimitMbytes,
                   Integer storageLimitMbytes) {
    public static final int SCHEMA = 1;

    public User withMemoryLimit(Integer mb) {
        return new User(SCHEMA, id, username, createdAt, mb, storageLimitMbytes);
    }

    public User withStorageLimit(Integer mb) {
        return new User(SCHEMA, id, username, createdAt, memoryLimitMbytes, mb);
    }
}
