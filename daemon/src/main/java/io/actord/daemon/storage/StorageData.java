package io.actord.daemon.storage;

import io.actord.daemon.store.CloseableIterator;
import io.actord.daemon.store.Entry;
import io.actord.daemon.store.Scan;
import io.actord.daemon.store.StateStore;
import io.actord.daemon.store.Table;

import java.util.ArrayList;
import java.util.List;

/** Removing a deleted storage's content, in bounded batches so a large dataset does not build one huge batch. */
final class StorageData {
    private static final int BATCH = 10_000;

    private StorageData() {
    }

    static <V> long deletePrefix(StateStore store, Table<byte[], V> table, byte[] prefix) {
        long deleted = 0;
        while (true) {
            List<byte[]> keys = new ArrayList<>(BATCH);
            try (CloseableIterator<Entry<byte[], V>> it = table.scan(Scan.prefix(prefix))) {
                while (it.hasNext() && keys.size() < BATCH) {
                    keys.add(it.next().key());
                }
            }
            if (keys.isEmpty()) {
                return deleted;
            }
            store.writeUnsynced(b -> keys.forEach(k -> table.deleteInBatch(b, k)));
            deleted += keys.size();
        }
    }
}
