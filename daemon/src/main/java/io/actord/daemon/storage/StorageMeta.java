package io.actord.daemon.storage;

import java.time.Instant;

/**
 * A key-value store, dataset or request queue as stored (the three share this shape; each kind has its
 * own table). {@code name} is null for unnamed storages, such as a run's defaults.
 */
public record StorageMeta(int schemaVersion, String id, String name, String userId, Instant createdAt,
                          Instant modifiedAt, Instant accessedAt, String actId, String actRunId) {
    public static final int SCHEMA = 1;

    public static StorageMeta forRun(String id, String userId, String actId, String runId, Instant now) {
        return new StorageMeta(SCHEMA, id, null, userId, now, now, now, actId, runId);
    }
}
