package io.actord.daemon.storage;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.StoreException;

import java.util.Arrays;

/**
 * The key of {@link StorageTables#STORAGE_NAMES}, {@code kind|userId|name}: named storages, unique per kind
 * and owner. The kind is stored as its API path segment ({@link StorageKind#path()}).
 */
public record StorageNameKey(StorageKind kind, String userId, String name) {
    public static final KeyCodec<StorageNameKey> CODEC = KeyCodec.of(
            (k, out) -> out.str(k.kind.path()).str(k.userId).tail(k.name),
            in -> new StorageNameKey(kind(in.str()), in.str(), in.tail()));

    private static StorageKind kind(String path) {
        return Arrays.stream(StorageKind.values()).filter(k -> k.path().equals(path)).findFirst()
                .orElseThrow(() -> new StoreException("read storage name key: no storage kind '" + path + "'"));
    }
}
