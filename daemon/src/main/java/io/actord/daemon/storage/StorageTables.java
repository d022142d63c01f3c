package io.actord.daemon.storage;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.JsonCodec;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of key-value stores, datasets and request queues, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class StorageTables {
    /** {@code storeId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> KEY_VALUE_STORES = json("key_value_stores", StorageMeta.class);

    /** {@code storeId|key → KvRecord}: keys in UTF-8 binary order, as Apify lists them. */
    public static final TableDef<KvRecordKey, KvRecord> KV_RECORDS =
            new TableDef<>("kv_records", KvRecordKey.CODEC, new KvRecordCodec());

    /** {@code datasetId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> DATASETS = json("datasets", StorageMeta.class);

    /** {@code queueId → StorageMeta}. */
    public static final TableDef<String, StorageMeta> REQUEST_QUEUES = json("request_queues", StorageMeta.class);

    /** {@code kind|userId|name → storageId}: named storages, unique per kind and owner (getOrCreate, {@code ~name}). */
    public static final TableDef<StorageNameKey, String> STORAGE_NAMES =
            new TableDef<>("storage_names", StorageNameKey.CODEC, Codecs.STRING);

    /** {@code datasetId|index(8B) → item}: compact JSON objects in push order; the count is in the dataset's meta. */
    public static final TableDef<DatasetItemKey, byte[]> DATASET_ITEMS =
            new TableDef<>("dataset_items", DatasetItemKey.CODEC, Codecs.BYTES);

    /** {@code queueId|requestId → QueueRequest}: every request of a queue, handled or not. */
    public static final TableDef<QueueRequestKey, QueueRequest> RQ_REQUESTS =
            new TableDef<>("rq_requests", QueueRequestKey.CODEC, new JsonCodec<>(Json.MAPPER, QueueRequest.class));

    /** {@code queueId|order(8B)|requestId → ∅}: unhandled, unlocked requests in head order (forefront first). */
    public static final TableDef<QueueIndexKey, Empty> RQ_HEAD =
            new TableDef<>("rq_head", QueueIndexKey.CODEC, Codecs.EMPTY);

    /** {@code queueId|lockExpiresAt(8B)|requestId → ∅}: locked, unhandled requests, the soonest to expire first. */
    public static final TableDef<QueueIndexKey, Empty> RQ_LOCKS =
            new TableDef<>("rq_locks", QueueIndexKey.CODEC, Codecs.EMPTY);

    /**
     * {@code userId|storageId → bytes(8B)}: what each storage's content counts against its owner's storage limit
     * ({@link StorageUsage}); written in the same batch as the content, deleted with the storage.
     */
    public static final TableDef<StorageUsageKey, Long> USER_STORAGE_BYTES =
            new TableDef<>("user_storage_bytes", StorageUsageKey.CODEC, Codecs.LONG);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(KEY_VALUE_STORES, KV_RECORDS, DATASETS, REQUEST_QUEUES, STORAGE_NAMES, DATASET_ITEMS, RQ_REQUESTS, RQ_HEAD, RQ_LOCKS,
            USER_STORAGE_BYTES);

    private StorageTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
