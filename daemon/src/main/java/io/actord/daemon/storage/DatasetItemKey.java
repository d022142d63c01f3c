package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;

/** The key of {@link StorageTables#DATASET_ITEMS}, {@code datasetId|index(8B)}: a dataset's items in push order. */
public record DatasetItemKey(String datasetId, long index) implements StorageContentKey {
    public static final KeyCodec<DatasetItemKey> CODEC = KeyCodec.of((k, out) -> out.str(k.datasetId).u64(k.index),
            in -> new DatasetItemKey(in.str(), in.u64()));

    /** The items of one dataset. */
    public static KeyPrefix<DatasetItemKey> ofDataset(String datasetId) {
        return StorageContentKey.ofStorage(datasetId);
    }

    @Override
    public String storageId() {
        return datasetId;
    }
}
