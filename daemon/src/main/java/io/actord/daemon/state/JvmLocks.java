package io.actord.daemon.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * Named locks inside one JVM, for {@link StateStore#locked}: one reentrant lock per name while anyone holds or waits
 * for it (forgotten after), so two names never share a lock and a nested call on another name can only wait for a
 * real holder of that name. Several names are taken in their sorted order, so two holders never wait for each other.
 */
public final class JvmLocks {
    private final Map<String, Named> locks = new ConcurrentHashMap<>();

    /** A name's lock and how many threads hold or wait for it. */
    private static final class Named {
        final ReentrantLock lock = new ReentrantLock();
        int users;
    }

    public <T> T locked(Collection<String> keys, Supplier<T> action) {
        List<String> held = new ArrayList<>(keys.size());
        try {
            for (String key : new TreeSet<>(keys)) {
                Named n = locks.compute(key, (k, old) -> {
                    Named named = old == null ? new Named() : old;
                    named.users++;
                    return named;
                });
                held.add(key);
                n.lock.lock();
            }
            return action.get();
        } finally {
            for (int i = held.size() - 1; i >= 0; i--) {
                locks.compute(held.get(i), (k, named) -> {
                    named.lock.unlock();
                    return --named.users == 0 ? null : named;
                });
            }
        }
    }
}
