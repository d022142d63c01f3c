package io.actord.daemon.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@link StateStore#locked} for {@link PostgresStateStore}: the JVM's {@link JvmLocks} first (so threads of one
 * daemon queue in memory, as on RocksDB, and only one of them per key waits in PostgreSQL), then session-level
 * {@code pg_advisory_lock}s on a connection the thread keeps pinned until its outermost call returns, from a pool of
 * its own so lock holders never take the connections their reads and writes need. Whatever the holder reads through
 * the store's pool is committed data, and its writes commit before the unlock, so a second daemon taking the lock
 * next sees them. Keys become 64-bit lock ids (the first 8 bytes of SHA-256 of the key; a collision only costs a
 * wait), taken in ascending order. A wait is bounded by PostgreSQL's {@code lock_timeout} on these connections.
 */
final class PostgresLocks implements AutoCloseable {
    static final long LOCK_TIMEOUT_SECONDS = 30;
    private static final String LOCK_NOT_AVAILABLE = "55P03";
    private static final String DEADLOCK = "40P01";

    private final JvmLocks jvm = new JvmLocks();
    private final HikariDataSource pool;
    private final ThreadLocal<Held> held = new ThreadLocal<>();
    private final PostgresLocation location;

    /** What one thread holds: its pinned connection and how often it took each lock id. */
    private static final class Held {
        final Connection connection;
        final Map<Long, Integer> counts = new HashMap<>();
        boolean broken;

        Held(Connection connection) {
            this.connection = connection;
        }
    }

    PostgresLocks(PostgresLocation location, int size) {
        this.location = location;
        HikariConfig config = new HikariConfig();
        config.setPoolName("actord-state-locks");
        config.setJdbcUrl(location.jdbcUrl());
        config.setDataSourceProperties(location.properties());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(TimeUnit.SECONDS.toMillis(LOCK_TIMEOUT_SECONDS));
        config.setConnectionInitSql("SET lock_timeout = '" + LOCK_TIMEOUT_SECONDS + "s'");
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("connect to the state database " + location + " for locks", e);
        }
    }

    <T> T locked(Collection<String> keys, Supplier<T> action) {
        return jvm.locked(keys, () -> lockedInDatabase(keys, action));
    }

    private <T> T lockedInDatabase(Collection<String> keys, Supplier<T> action) {
        SortedSet<Long> ids = new TreeSet<>();
        keys.forEach(k -> ids.add(lockId(k)));
        Held h = held.get();
        boolean outermost = h == null;
        if (outermost) {
            h = new Held(connect(keys));
            held.set(h);
        }
        List<Long> taken = new ArrayList<>(ids.size());
        try {
            for (long id : ids) {
                if (!h.counts.containsKey(id)) {
                    lock(h, id, keys);
                }
                h.counts.merge(id, 1, Integer::sum);
                taken.add(id);
            }
            return action.get();
        } finally {
            for (int i = taken.size() - 1; i >= 0; i--) {
                release(h, taken.get(i));
            }
            if (outermost) {
                held.remove();
                close(h);
            }
        }
    }

    private Connection connect(Collection<String> keys) {
        try {
            return pool.getConnection();
        } catch (SQLTransientConnectionException e) {
            if (e.getCause() != null) {
                // HikariCP gives its last failure to connect as the cause: the database is away, not the locks busy.
                throw StateUnavailableException.of(location, "lock " + keys, e);
            }
            throw new StateLockTimeoutException("lock " + keys + ": every lock connection stayed busy for "
                    + LOCK_TIMEOUT_SECONDS + " s", e);
        } catch (SQLException e) {
            throw StateUnavailableException.of(location, "lock " + keys + ": connect to the state database", e);
        }
    }

    private void lock(Held h, long id, Collection<String> keys) {
        try (PreparedStatement st = h.connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
            st.setLong(1, id);
            st.execute();
        } catch (SQLException e) {
            if (LOCK_NOT_AVAILABLE.equals(e.getSQLState())) {
                throw new StateLockTimeoutException("lock " + keys + ": another daemon on the state database held"
                        + " it for more than " + LOCK_TIMEOUT_SECONDS + " s", e);
            }
            if (DEADLOCK.equals(e.getSQLState())) {
                throw new StateLockTimeoutException("lock " + keys + ": taken out of order (a deadlock)", e);
            }
            h.broken = true;
            throw StateUnavailableException.of(location, "lock " + keys, e);
        }
    }

    private static void release(Held h, long id) {
        if (h.counts.merge(id, -1, Integer::sum) > 0) {
            return;
        }
        h.counts.remove(id);
        if (h.broken) {
            return;
        }
        try (PreparedStatement st = h.connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            st.setLong(1, id);
            st.execute();
        } catch (SQLException e) {
            h.broken = true;
        }
    }

    /** Back to the pool; a connection whose unlock failed is evicted instead, which ends its session and its locks. */
    private void close(Held h) {
        if (h.broken || !h.counts.isEmpty()) {
            pool.evictConnection(h.connection);
            return;
        }
        try {
            h.connection.close();
        } catch (SQLException e) {
            pool.evictConnection(h.connection);
        }
    }

    static long lockId(String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("actord/" + key).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
