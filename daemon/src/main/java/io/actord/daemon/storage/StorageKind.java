package io.actord.daemon.storage;

import io.actord.daemon.store.TableDef;
import io.actord.daemon.store.Tables;

/** The three kinds of storage, with their table and the words the API uses for them. */
public enum StorageKind {
    KEY_VALUE_STORE("key-value-stores", "Key-value store", Tables.KEY_VALUE_STORES),
    DATASET("datasets", "Dataset", Tables.DATASETS),
    REQUEST_QUEUE("request-queues", "Request queue", Tables.REQUEST_QUEUES);

    private final String path;
    private final String title;
    private final TableDef<String, StorageMeta> table;

    StorageKind(String path, String title, TableDef<String, StorageMeta> table) {
        this.path = path;
        this.title = title;
        this.table = table;
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
}
