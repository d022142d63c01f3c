package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/**
 * The key of {@link StorageTables#KV_RECORDS}, {@code storeId|key}: a store's records in UTF-8 binary order
 * of their keys.
 */
public record KvRecordKey(String storeId, String key) implements StorageContentKey {
    public static final KeyCodec<KvRecordKey> CODEC = KeyCodec.of((k, out) -> out.str(k.storeId).tail(k.key),
            in -> new KvRecordKey(in.str(), in.tail()));

    /** The records of the store {@code storeId} whose keys start with {@code keyPrefix} (all of them for ""). */
    public static KeyPrefix<KvRecordKey> keysStartingWith(String storeId, String keyPrefix) {
        return KeyPrefix.of(Keys.builder().str(storeId).tail(keyPrefix));
    }

    @Override
    public String storageId() {
        return storeId;
    }
}
