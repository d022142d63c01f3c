package io.actord.daemon.storage;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
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
        return withAll(List.of(storageId), action);
    }

    /**
     * Holds the locks of several storages at once, taken in stripe order: with every other holder taking
     * one lock at a time (or several in the same order), no two can wait for each other.
     */
    <T> T withAll(Collection<String> storageIds, Supplier<T> action) {
        SortedSet<Integer> indexes = new TreeSet<>();
        storageIds.forEach(id -> indexes.add(Math.floorMod(id.hashCode(), STRIPES)));
        List<ReentrantLock> held = new ArrayList<>(indexes.size());
        try {
            for (int i : indexes) {
                stripes[i].lock();
                held.add(stripes[i]);
            }
            return action.get();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                held.get(i).unlock();
            }
        }
    }
}
