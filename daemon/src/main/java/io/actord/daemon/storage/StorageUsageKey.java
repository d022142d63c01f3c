package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** The key of {@link StorageTables#USER_STORAGE_BYTES}, {@code userId|storageId}: a user's storages together. */
public record StorageUsageKey(String userId, String storageId) {
    public static final KeyCodec<StorageUsageKey> CODEC = KeyCodec.of((k, out) -> out.str(k.userId).tail(k.storageId),
            in -> new StorageUsageKey(in.str(), in.tail()));

    /** Every storage of {@code userId}. */
    public static KeyPrefix<StorageUsageKey> ofUser(String userId) {
        return KeyPrefix.of(Keys.builder().str(userId));
    }
}
