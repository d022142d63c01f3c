package io.actord.daemon.storage;

import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/**
 * A key of a table that holds a storage's content ({@link StorageKind#contents()}): the storage's id is its
 * first component, so one prefix selects a whole storage in each of them, to delete or compact it.
 */
public interface StorageContentKey {
    String storageId();

    /** Every key of the storage {@code storageId} in a content table keyed by {@code K}. */
    static <K extends StorageContentKey> KeyPrefix<K> ofStorage(String storageId) {
        return KeyPrefix.of(Keys.builder().str(storageId));
    }
}
