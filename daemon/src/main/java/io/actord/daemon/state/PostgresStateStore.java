package io.actord.daemon.state;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link StateStore} on PostgreSQL: one table {@code kv_<name>} of {@code bytea} keys and values per
 * {@link TableDef} (bytea orders as unsigned bytes, as RocksDB's keys do), reached through a HikariCP pool, the
 * fixed schema migrated by Flyway ({@code classpath:io/actord/daemon/state/postgres}) and the schema version in the
 * {@code meta} table as in {@link RocksStateStore}.
 *
 * <p>{@link #write} is one transaction; PostgreSQL may abort one that deadlocks with another or fails to serialize
 * (two batches upserting the same keys in different orders), so a batch is collected first (encoded; past a few MiB
 * in a temporary file, {@link PostgresBatch}) and its transaction run again, a few times, when that happens.
 * {@link #writeUnsynced} commits as {@link #write} does: PostgreSQL has no
 * commit that is written to the OS but not flushed (RocksDB's unsynced write, which outlives a crash of the process
 * that holds the store), and {@code synchronous_commit = off} loses the commits of the last few hundred
 * milliseconds when the server crashes, acknowledged dataset pushes among them.
 * {@link #checkpoint} is {@code pg_dump --format=directory}: the backup of a PostgreSQL database is a dump (or the
 * server's own {@code pg_basebackup}), not a copy of files.
 */
public final class PostgresStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresStateStore.class);
    /** The advisory lock that serializes creating tables, so two daemons opening one database do not race. */
    private static final long CREATE_TABLES_LOCK = 0x6163746f72640001L;
    private static final int WRITE_ATTEMPTS = 8;
    /**
     * How long a call waits for a pooled connection (HikariCP's connectionTimeout, 30 s by default) and a new one
     * for the server (pgjdbc's connectTimeout): with the database gone, a request fails in this time with 503.
     */
    private static final long CONNECTION_TIMEOUT_MS = 2_000;
    /** How many threads of this daemon may hold {@link #locked} at once (on different keys). */
    private static final int LOCK_CONNECTIONS = 8;

    private final PostgresLocation location;
    private final HikariDataSource pool;
    private final Set<String> declared;
    private final PostgresLocks locks;
    private final PostgresSignals signals;
    private volatile boolean closed;

    private PostgresStateStore(PostgresLocation location, HikariDataSource pool, Set<String> declared) {
        this.location = location;
        this.pool = pool;
        this.declared = declared;
        this.locks = new PostgresLocks(location, LOCK_CONNECTIONS);
        this.signals = new PostgresSignals(location, TimeUnit.MILLISECONDS.toSeconds(CONNECTION_TIMEOUT_MS));
    }

    /**
     * Connects to the database at {@code location}, migrates its fixed schema, and creates a table for each
     * declared one that is missing. Tables found but not declared are left alone.
     *
     * @throws StoreException when the database cannot be reached, or was written by a newer schema
     */
    public static PostgresStateStore open(PostgresLocation location, Collection<TableDef<?, ?>> tables) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("actord-state");
        config.setJdbcUrl(location.jdbcUrl());
        config.setDataSourceProperties(location.properties());
        config.setMaximumPoolSize(16);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
        config.setValidationTimeout(CONNECTION_TIMEOUT_MS / 2);
        config.addDataSourceProperty("connectTimeout", TimeUnit.MILLISECONDS.toSeconds(CONNECTION_TIMEOUT_MS));
        config.addDataSourceProperty("tcpKeepAlive", true);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("connect to the state database " + location, e);
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(StoreMeta.TABLE.name());
        tables.forEach(t -> names.add(t.name()));
        PostgresStateStore store = new PostgresStateStore(location, pool, names);
        try {
            Flyway.configure().dataSource(pool).locations("classpath:io/actord/daemon/state/postgres")
                    .table("actord_schema_history").load().migrate();
            store.createTables();
            StoreMeta.checkSchema(store, false, location);
        } catch (FlywayException e) {
            store.close();
            throw new StoreException("migrate the state database " + location, e);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("state store opened postgres={} tables={} schema={}", location, names.size(), SCHEMA_VERSION);
        return store;
    }

    private void createTables() {
        call("create the state tables", c -> {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute("SELECT pg_advisory_xact_lock(" + CREATE_TABLES_LOCK + ")");
                for (String name : declared) {
                    st.execute("CREATE TABLE IF NOT EXISTS " + PostgresTable.sqlName(name)
                            + " (k bytea PRIMARY KEY, v bytea NOT NULL)");
                }
                c.commit();
            } catch (SQLException | RuntimeException e) {
                rollback(c, e);
                throw e;
            }
            return null;
        });
    }

    /** Session-level advisory locks, so two daemons on this database serialize their changes (see {@link PostgresLocks}). */
    @Override
    public <T> T locked(Collection<String> keys, Supplier<T> action) {
        checkOpen("lock " + keys);
        return locks.locked(keys, action);
    }

    @Override
    public boolean shared() {
        return true;
    }

    /** {@code NOTIFY} and {@code LISTEN} (see {@link PostgresSignals}). */
    @Override
    public StoreSignals signals() {
        return signals;
    }

    public PostgresLocation location() {
        return location;
    }

    @Override
    public <K, V> Table<K, V> table(TableDef<K, V> def) {
        if (!declared.contains(def.name())) {
            throw new StoreException("table " + def.name() + " was not declared when the store was opened");
        }
        return new PostgresTable<>(this, def);
    }

    @Override
    public void write(Consumer<Batch> ops) {
        write(ops, "write batch");
    }

    @Override
    public void writeUnsynced(Consumer<Batch> ops) {
        write(ops, "write unsynced batch");
    }

    private void write(Consumer<Batch> ops, String what) {
        checkOpen(what);
        try (PostgresBatch batch = new PostgresBatch(this)) {
            ops.accept(batch);
            if (batch.operations() > 0) {
                run(batch, what + " of " + batch.operations() + " operations");
            }
        }
    }

    private void run(PostgresBatch batch, String described) {
        for (int attempt = 1; ; attempt++) {
            try {
                call(described, c -> {
                    c.setAutoCommit(false);
                    try {
                        batch.apply(c);
                        c.commit();
                    } catch (SQLException | RuntimeException e) {
                        rollback(c, e);
                        throw e;
                    }
                    return null;
                });
                return;
            } catch (StoreException e) {
                if (attempt >= WRITE_ATTEMPTS || !isTransient(e.getCause())) {
                    throw e;
                }
                LOG.debug("state store retry what=\"{}\" attempt={} cause=\"{}\"", described, attempt,
                        e.getCause().getMessage());
                pause(attempt);
            }
        }
    }

    /**
     * Rolls back after {@code failure}; when that fails too (the connection is gone, and HikariCP's closed proxy
     * says only "Connection is closed"), the failure stays the one thrown, with the rollback's suppressed in it.
     */
    static void rollback(Connection c, Exception failure) {
        try {
            c.rollback();
        } catch (SQLException e) {
            failure.addSuppressed(e);
        }
    }

    /** A deadlock or serialization failure: PostgreSQL aborted the transaction, and running it again may pass. */
    private static boolean isTransient(Throwable cause) {
        return cause instanceof SQLException sql && sql.getSQLState() != null
                && (sql.getSQLState().equals("40001") || sql.getSQLState().equals("40P01"));
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, 5L << attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("write batch: interrupted while retrying");
        }
    }

    /**
     * Dumps the database with {@code pg_dump --format=directory} into {@code target} (which pg_dump creates; it must
     * not exist): one snapshot, taken when pg_dump starts, so it holds every write that returned before. Restore it
     * with {@code pg_restore --dbname=... target}.
     */
    @Override
    public void checkpoint(Path target) {
        checkOpen("checkpoint the state database into " + target);
        if (Files.exists(target)) {
            throw new StoreException("checkpoint the state database into " + target + ": it exists");
        }
        try {
            Path log = Files.createTempFile("actord-pg-dump", ".log");
            try {
                ProcessBuilder pb = new ProcessBuilder("pg_dump", "--format=directory", "--no-owner",
                        "--file=" + target).redirectErrorStream(true).redirectOutput(log.toFile());
                pb.environment().putAll(location.libpqEnvironment());
                Process p = pb.start();
                int status = p.waitFor();
                if (status != 0) {
                    throw new StoreException("checkpoint the state database into " + target + ": pg_dump exited "
                            + status + ": " + Files.readString(log).strip());
                }
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new StoreException("checkpoint the state database into " + target + " (pg_dump, Debian package"
                    + " postgresql-client)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("checkpoint the state database into " + target + ": interrupted");
        }
        LOG.info("state store checkpoint postgres={} target={}", location, target);
    }

    @Override
    public int schemaVersion() {
        return StoreMeta.schemaVersion(this);
    }

    /**
     * What PostgreSQL knows of the store's tables: their size with indexes and TOAST (as table files), the heap
     * alone (as live data), the planner's row estimate (as keys), and VACUUMs of this database running now (as
     * compactions). It keeps no write buffers or compaction backlog of the RocksDB kind: those are 0.
     */
    @Override
    public Optional<StoreStatistics> statistics() {
        return Optional.of(call("read statistics", c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0),"
                    + " coalesce(sum(pg_relation_size(c.oid)), 0), coalesce(sum(greatest(c.reltuples, 0)), 0)::bigint,"
                    + " (SELECT count(*) FROM pg_stat_progress_vacuum WHERE datname = current_database())"
                    + " FROM pg_class c WHERE c.relkind = 'r' AND c.relnamespace = current_schema()::regnamespace"
                    + " AND c.relname LIKE 'kv\\_%'"); ResultSet rs = st.executeQuery()) {
                rs.next();
                return new StoreStatistics(rs.getLong(1), rs.getLong(2), 0, rs.getLong(3), 0, 0, rs.getLong(4), 0);
            }
        }));
    }

    /** Probes with a small unsynced write, as {@link RocksStateStore} does: a read-only or unreachable server fails. */
    @Override
    public Optional<String> unavailableReason() {
        return StoreMeta.probe(this);
    }

    void checkOpen(String what) {
        if (closed) {
            throw new StoreException(what + ": the state store is closed");
        }
    }

    /**
     * Runs {@code call} on a pooled connection, with failures wrapped as {@code what: cause}; a lost or refused
     * connection as {@link StateUnavailableException}.
     */
    <T> T call(String what, SqlCall<T> call) {
        checkOpen(what);
        try (Connection c = pool.getConnection()) {
            return call.apply(c);
        } catch (SQLException e) {
            checkOpen(what);
            throw StateUnavailableException.of(location, what, e);
        }
    }

    /** Closes the pool; idempotent. Calls running now finish or fail; later ones are refused. */
    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        signals.close();
        locks.close();
        pool.close();
        LOG.info("state store closed postgres={}", location);
    }

    @FunctionalInterface
    interface SqlCall<T> {
        T apply(Connection c) throws SQLException;
    }
}
