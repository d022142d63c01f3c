package io.actord.daemon.storage;

import io.actord.daemon.state.TableDef;

import java.util.List;

/** The three kinds of storage, with their tables and the words the API uses for them. */
public enum StorageKind {
    KEY_VALUE_STORE("key-value-stores", "Key-value store", StorageTables.KEY_VALUE_STORES, List.of(StorageTables.KV_RECORDS)),
    DATASET("datasets", "Dataset", StorageTables.DATASETS, List.of(StorageTables.DATASET_ITEMS)),
    REQUEST_QUEUE("request-queues", "Request queue", StorageTables.REQUEST_QUEUES, List.of(StorageTables.RQ_REQUESTS,
            StorageTables.RQ_HEAD, StorageTables.RQ_LOCKS));

    private final String path;
    private final String title;
    private final TableDef<String, StorageMeta> table;
    private final List<TableDef<? extends StorageContentKey, ?>> contents;

    StorageKind(String path, String title, TableDef<String, StorageMeta> table,
                List<TableDef<? extends StorageContentKey, ?>> contents) {
        this.path = path;
        this.title = title;
        this.table = table;
        this.contents = contents;
    }

    /** The API's path segment, e.g. "key-value-stores"; also the kind's component in name-index keys. */
    public String path() {
        return path;
    }

    /** For messages: "Key-value store 'abc' was not found". */
    public String title() {
        return title;
    }

    public TableDef<String, StorageMeta> table() {
        return table;
    }

    /** The tables a storage's content lives in, each keyed {@code storageId|...}. */
    public List<TableDef<? extends StorageContentKey, ?>> contents() {
        return contents;
    }
}
