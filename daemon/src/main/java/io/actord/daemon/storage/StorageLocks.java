package io.actord.daemon.storage;

import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Serialises the changes to one storage: a read-modify-write of its counts and the data they count
 * (the next dataset index, a queue's sequence and head) must not interleave. Striped, so the number of
 * locks is fixed however many storages exist; two storages may share a stripe, which only costs a wait.
 */
final class StorageLocks {
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    StorageLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    <T> T with(String storageId, Supplier<T> action) {
        ReentrantLock lock = stripes[Math.floorMod(storageId.hashCode(), STRIPES)];
        lock.lock();
        try {
            return action.get();
        } finally {
            lock.unlock();
        }
    }
}
