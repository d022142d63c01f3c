package io.actord.daemon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Named locks inside one JVM, for {@link StateStore#locked}: striped, so the number of locks is fixed however
 * many names exist; two names may share a stripe, which only costs a wait. Reentrant: a thread holding a name may
 * take it again. Several names are taken in stripe order, so two holders never wait for each other.
 */
public final class JvmLocks {
    private static final int STRIPES = 64;

    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];

    public JvmLocks() {
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    public <T> T locked(Collection<String> keys, Supplier<T> action) {
        SortedSet<Integer> indexes = new TreeSet<>();
        keys.forEach(k -> indexes.add(Math.floorMod(k.hashCode(), STRIPES)));
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
