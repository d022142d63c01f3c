package io.actord.daemon.storage;

import io.actord.daemon.common.Ids;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;

import java.time.Instant;
import java.util.Optional;

/**
 * A run's default storages: a key-value store, a dataset and a request queue, created with the run, and
 * the records the run layer itself reads and writes in the key-value store (INPUT, and the files a run
 * leaves for the store until the in-run API exists).
 */
public final class RunStorages {
    public static final String INPUT_KEY = "INPUT";

    private final Table<String, StorageMeta> keyValueStores;
    private final Table<String, StorageMeta> datasets;
    private final Table<String, StorageMeta> requestQueues;
    private final Table<KvRecordKey, KvRecord> records;
    private final StorageUsage usage;

    /** @param usage what the records written here are charged to (never refused: the run layer must store them) */
    public RunStorages(StateStore store, StorageUsage usage) {
        this.usage = usage;
        this.keyValueStores = store.table(StorageTables.KEY_VALUE_STORES);
        this.datasets = store.table(StorageTables.DATASETS);
        this.requestQueues = store.table(StorageTables.REQUEST_QUEUES);
        this.records = store.table(StorageTables.KV_RECORDS);
    }

    /** The ids of a run's default storages. */
    public record Defaults(String keyValueStoreId, String datasetId, String requestQueueId) {
        public static Defaults fresh() {
            return new Defaults(Ids.newId(), Ids.newId(), Ids.newId());
        }
    }

    /** Adds the three storages, and INPUT when the run has one, to the batch that creates the run. */
    public void createInBatch(Batch batch, Defaults ids, String userId, String actId, String runId, Instant now,
                              Optional<KvRecord> input) {
        keyValueStores.putInBatch(batch, ids.keyValueStoreId(), StorageMeta.forRun(ids.keyValueStoreId(), userId, actId,
                runId, now));
        datasets.putInBatch(batch, ids.datasetId(), StorageMeta.forRun(ids.datasetId(), userId, actId, runId, now));
        requestQueues.putInBatch(batch, ids.requestQueueId(), StorageMeta.forRun(ids.requestQueueId(), userId, actId,
                runId, now));
        input.ifPresent(r -> {
            records.putInBatch(batch, new KvRecordKey(ids.keyValueStoreId(), INPUT_KEY), r);
            usage.chargeNewInBatch(batch, userId, ids.keyValueStoreId(), StorageUsage.recordBytes(INPUT_KEY, r));
        });
    }

    public Optional<KvRecord> record(String storeId, String key) {
        return records.get(new KvRecordKey(storeId, key));
    }

    public Optional<StorageMeta> keyValueStore(String storeId) {
        return keyValueStores.get(storeId);
    }

    /**
     * Stores a record in a run's store, charged to the store's owner but never refused (a metamorph's input,
     * the files a run left); nothing is stored when the store is gone.
     */
    public void putRecord(String storeId, String key, KvRecord record) {
        Optional<StorageMeta> meta = keyValueStores.get(storeId);
        if (meta.isEmpty()) {
            return;
        }
        KvRecordKey k = new KvRecordKey(storeId, key);
        usage.write(meta.get().userId(), storeId, true, b -> {
            if (keyValueStores.get(storeId).isEmpty()) {
                return new StorageUsage.Charge(0, false); // deleted since: its usage row is gone too
            }
            long replaced = records.get(k).map(old -> StorageUsage.recordBytes(key, old)).orElse(0L);
            records.putInBatch(b, k, record);
            return new StorageUsage.Charge(StorageUsage.recordBytes(key, record) - replaced, false);
        });
    }
}
