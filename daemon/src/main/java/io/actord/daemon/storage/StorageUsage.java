package io.actord.daemon.storage;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Scan;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.state.TableDef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * How many bytes each user's storages hold, and the one place a write is charged against the owner's
 * storage limit (or credited when it frees bytes). What counts: a key-value record's key and value, a
 * dataset item's JSON, a queue request's stored JSON; metadata and indexes do not.
 *
 * <p>Each storage has a row {@code userId|storageId → bytes} in {@link StorageTables#USER_STORAGE_BYTES},
 * rewritten in the same batch as the content it counts, under this class's lock of that storage, so the rows
 * never drift from the content. A row per storage (not one per user) lets writes to different storages of a
 * user commit in any order, and makes deleting a storage subtract exactly its bytes. The users' totals are
 * summed from the rows once at start and then kept in memory; a write that would take its owner past the
 * limit reserves its bytes in the total first, so two concurrent writes cannot both slip under it.
 *
 * <p>On a {@link StateStore#shared} store (two daemons on one PostgreSQL database) the in-memory totals would miss
 * the other daemon's writes, so the limit is checked against the user's rows as committed (a prefix scan of their
 * storages per refusable write, and per {@link #usedBytes}); writes to different storages of one user at the same
 * moment may then together pass the limit by what they write at once, at most one write per storage.
 *
 * <p>Lock order: a caller may hold the registry's storage locks when it comes here; nothing here takes them.
 */
public final class StorageUsage {
    private static final Logger LOG = LoggerFactory.getLogger(StorageUsage.class);
    private static final long MB = 1024 * 1024;
    /** The queue requests as the bytes they are stored as, to count them without decoding. */
    private static final TableDef<QueueRequestKey, byte[]> RAW_REQUESTS =
            new TableDef<>(StorageTables.RQ_REQUESTS.name(), QueueRequestKey.CODEC, Codecs.BYTES);

    private final StateStore store;
    private final Table<StorageUsageKey, Long> rows;
    private final ToLongFunction<String> limitBytes;
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();

    /** What a change adds to its storage's bytes (negative when it frees some), and whether it may be refused for that. */
    public record Charge(long bytes, boolean refusable) {
    }

    /** @param limitBytes the storage limit of a user, in bytes */
    public StorageUsage(StateStore store, ToLongFunction<String> limitBytes) {
        this.store = store;
        this.rows = store.table(StorageTables.USER_STORAGE_BYTES);
        this.limitBytes = limitBytes;
        if (rows.count() == 0) {
            countExisting();
        }
        try (CloseableIterator<Entry<StorageUsageKey, Long>> it = rows.scan(Scan.all())) {
            it.forEachRemaining(e -> total(e.key().userId()).addAndGet(e.value()));
        }
    }

    /** The bytes {@code userId}'s storages hold. */
    public long usedBytes(String userId) {
        if (store.shared()) {
            return committedBytes(userId);
        }
        AtomicLong total = totals.get(userId);
        return total == null ? 0 : total.get();
    }

    public long limitBytes(String userId) {
        return limitBytes.applyAsLong(userId);
    }

    /**
     * Writes a change to the content of storage {@code storageId} of {@code userId}: {@code ops} adds it to
     * the batch and says what it adds. A refusable change that would take the user past their limit throws
     * 402 storage-limit-exceeded from inside the batch, so nothing of it is written.
     */
    public void write(String userId, String storageId, boolean synced, Function<Batch, Charge> ops) {
        StorageUsageKey key = new StorageUsageKey(userId, storageId);
        store.locked(List.of(storageId), () -> {
            AtomicLong total = total(userId);
            long[] reserved = {0};
            long[] added = {0};
            Consumer<Batch> all = b -> {
                Charge charge = ops.apply(b);
                if (charge.bytes() == 0) {
                    return;
                }
                if (charge.bytes() > 0 && charge.refusable()) {
                    reserve(userId, total, charge.bytes());
                    reserved[0] = charge.bytes();
                }
                added[0] = charge.bytes();
                long row = rows.get(key).orElse(0L) + charge.bytes();
                if (row > 0) {
                    rows.putInBatch(b, key, row);
                } else {
                    rows.deleteInBatch(b, key);
                }
            };
            try {
                if (synced) {
                    store.write(all);
                } else {
                    store.writeUnsynced(all);
                }
            } catch (RuntimeException e) {
                total.addAndGet(-reserved[0]);
                throw e;
            }
            total.addAndGet(added[0] - reserved[0]);
            return null;
        });
    }

    /**
     * Adds a new storage's first content to a batch someone else writes (a run's INPUT, in the batch that
     * creates the run), never refused. The total counts it at once: should that batch fail, the user is
     * charged for bytes that are not there until the daemon restarts.
     */
    public void chargeNewInBatch(Batch batch, String userId, String storageId, long bytes) {
        if (bytes > 0) {
            rows.putInBatch(batch, new StorageUsageKey(userId, storageId), bytes);
            total(userId).addAndGet(bytes);
        }
    }

    /**
     * Deletes storages (each id with its owner) with what {@code ops} adds to the same synced batch, and gives
     * their bytes back to their owners.
     */
    public void deleting(Map<String, String> ownerByStorage, Consumer<Batch> ops) {
        store.locked(ownerByStorage.keySet(), () -> {
            Map<StorageUsageKey, Long> freed = new HashMap<>();
            ownerByStorage.forEach((id, user) -> {
                StorageUsageKey key = new StorageUsageKey(user, id);
                rows.get(key).ifPresent(bytes -> freed.put(key, bytes));
            });
            store.write(b -> {
                ops.accept(b);
                freed.keySet().forEach(k -> rows.deleteInBatch(b, k));
            });
            freed.forEach((k, bytes) -> total(k.userId()).addAndGet(-bytes));
            return null;
        });
    }

    /** What a key-value record counts: its key and its value. */
    static long recordBytes(String key, KvRecord record) {
        return key.getBytes(StandardCharsets.UTF_8).length + (long) record.value().length;
    }

    /** What a queue request counts: its JSON as stored. */
    static long requestBytes(QueueRequest request) {
        return StorageTables.RQ_REQUESTS.valueCodec().encode(request).length;
    }

    private void reserve(String userId, AtomicLong total, long bytes) {
        long limit = limitBytes(userId);
        long after = store.shared() ? committedBytes(userId) + bytes : total.addAndGet(bytes);
        if (after > limit) {
            if (!store.shared()) {
                total.addAndGet(-bytes);
            }
            throw new ApiException(ErrorType.STORAGE_LIMIT_EXCEEDED, "this write of " + bytes + " bytes would exceed"
                    + " your storage limit of " + limit / MB + " MB (currently used: " + (after - bytes) + " bytes);"
                    + " delete records, datasets or request queues you no longer need");
        }
    }

    /** The user's rows as committed (another daemon's writes included): one prefix scan of their storages. */
    private long committedBytes(String userId) {
        long sum = 0;
        try (CloseableIterator<Entry<StorageUsageKey, Long>> it = rows.scan(KeyRange.of(
                StorageUsageKey.ofUser(userId)))) {
            while (it.hasNext()) {
                sum += it.next().value();
            }
        }
        return sum;
    }

    private AtomicLong total(String userId) {
        return totals.computeIfAbsent(userId, u -> new AtomicLong());
    }

    /**
     * A state directory from before storage usage was counted: counts every storage's content once, in one
     * pass over the content tables (about as long as reading the data once), and logs what it found.
     */
    private void countExisting() {
        Map<String, String> owners = new HashMap<>();
        for (StorageKind kind : StorageKind.values()) {
            try (CloseableIterator<Entry<String, StorageMeta>> it = store.table(kind.table()).scan(Scan.all())) {
                it.forEachRemaining(e -> owners.put(e.key(), e.value().userId()));
            }
        }
        if (owners.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        Map<String, Long> bytes = new HashMap<>();
        sum(store.table(StorageTables.KV_RECORDS), e -> recordBytes(e.key().key(), e.value()), bytes,
                e -> e.key().storeId());
        sum(store.table(StorageTables.DATASET_ITEMS), e -> e.value().length, bytes, e -> e.key().datasetId());
        sum(store.table(RAW_REQUESTS), e -> e.value().length, bytes, e -> e.key().queueId());
        List<Map.Entry<String, Long>> owned = bytes.entrySet().stream().filter(e -> owners.containsKey(e.getKey()))
                .toList();
        store.write(b -> owned.forEach(e -> rows.putInBatch(b, new StorageUsageKey(owners.get(e.getKey()), e.getKey()),
                e.getValue())));
        LOG.info("storage usage counted for existing data: storages={} withContent={} bytes={} ms={}", owners.size(),
                owned.size(), owned.stream().mapToLong(Map.Entry::getValue).sum(),
                (System.nanoTime() - started) / 1_000_000);
    }

    private static <K, V> void sum(Table<K, V> table, ToLongFunction<Entry<K, V>> size, Map<String, Long> into,
                                   Function<Entry<K, V>, String> storage) {
        try (CloseableIterator<Entry<K, V>> it = table.scan(Scan.all())) {
            it.forEachRemaining(e -> into.merge(storage.apply(e), size.applyAsLong(e), Long::sum));
        }
    }
}
