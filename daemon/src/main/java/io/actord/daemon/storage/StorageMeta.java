package io.actord.daemon.storage;

import java.time.Instant;
import java.util.Objects;

/**
 * A key-value store, dataset or request queue as stored (the three share this shape; each kind has its
 * own table). {@code name} is null for unnamed storages, such as a run's defaults. {@code counts} holds
 * what each kind counts (items, handled requests, the queue's order sequence); it is rewritten in the same
 * batch as the data it counts, under the storage's lock.
 */
public record StorageMeta(int schemaVersion, String id, String name, String userId, Instant createdAt,
                          Instant modifiedAt, Instant accessedAt, String actId, String actRunId, Counts counts) {
    public static final int SCHEMA = 1;

    public StorageMeta {
        Objects.requireNonNull(id, "id");
        counts = counts == null ? Counts.NONE : counts;
    }

    public static StorageMeta forRun(String id, String userId, String actId, String runId, Instant now) {
        return new StorageMeta(SCHEMA, id, null, userId, now, now, now, actId, runId, Counts.NONE);
    }

    /** A storage made through the API: named (or unnamed when {@code name} is null), not tied to a run. */
    public static StorageMeta created(String id, String name, String userId, Instant now) {
        return new StorageMeta(SCHEMA, id, name, userId, now, now, now, null, null, Counts.NONE);
    }

    public StorageMeta withName(String newName, Instant now) {
        return new StorageMeta(schemaVersion, id, newName, userId, createdAt, now, now, actId, actRunId, counts);
    }

    /** The storage after a change of its content at {@code now}. */
    public StorageMeta modified(Counts newCounts, Instant now) {
        return new StorageMeta(schemaVersion, id, name, userId, createdAt, now, now, actId, actRunId, newCounts);
    }

    /**
     * What a storage counts. Datasets: {@code itemCount} items of which {@code cleanItemCount} are non-empty
     * without hidden fields. Request queues: {@code itemCount} requests of which {@code handledCount} are
     * handled; {@code sequence} orders the queue (see {@link RequestQueueStore}); {@code firstClientKey}
     * and {@code hadMultipleClients} answer Apify's "was this queue used by more than one client".
     */
    public record Counts(long itemCount, long cleanItemCount, long handledCount, long sequence, String firstClientKey,
                         boolean hadMultipleClients) {
        public static final Counts NONE = new Counts(0, 0, 0, 0, null, false);

        public Counts items(long added, long cleanAdded) {
            return new Counts(itemCount + added, cleanItemCount + cleanAdded, handledCount, sequence, firstClientKey,
                    hadMultipleClients);
        }

        public Counts requests(long addedTotal, long addedHandled, long newSequence) {
            return new Counts(itemCount + addedTotal, cleanItemCount, handledCount + addedHandled, newSequence,
                    firstClientKey, hadMultipleClients);
        }

        /** The counts after {@code clientKey} used the queue, or these when that changes nothing. */
        public Counts seenClient(String clientKey) {
            if (clientKey == null || clientKey.isEmpty() || hadMultipleClients || clientKey.equals(firstClientKey)) {
                return this;
            }
            return firstClientKey == null
                    ? new Counts(itemCount, cleanItemCount, handledCount, sequence, clientKey, false)
                    : new Counts(itemCount, cleanItemCount, handledCount, sequence, firstClientKey, true);
        }
    }
}
