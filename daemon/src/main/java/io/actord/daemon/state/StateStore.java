package io.actord.daemon.state;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The daemon's state: named tables of byte keys and values, typed by their {@link TableDef}, with atomic
 * multi-table writes. {@link RocksStateStore} is the implementation (one RocksDB column family per table);
 * another (PostgreSQL, one key-value table per {@link TableDef}) would stand behind the same interface and
 * must pass the same contract tests ({@code StateStoreContract}). Keys compare as unsigned bytes, which is
 * the order scans visit them in.
 */
public interface StateStore extends AutoCloseable {
    /** The layout this code reads and writes; raise it, and migrate on open, when a key layout changes. */
    int SCHEMA_VERSION = 1;

    /**
     * The typed view of a declared table.
     *
     * @throws StoreException when the table was not declared when the store was opened
     */
    <K, V> Table<K, V> table(TableDef<K, V> def);

    /** Applies the changes {@code ops} adds to the batch atomically, durable before returning. */
    void write(Consumer<Batch> ops);

    /** As {@link #write}, without waiting for the disk: for bulk data whose loss in a crash is acceptable. */
    void writeUnsynced(Consumer<Batch> ops);

    /**
     * Writes a consistent copy of the whole store as of now into {@code target}, a directory that must not exist yet
     * (RocksDB: a checkpoint, its table files hard-linked when {@code target} is on the same file system). Writes go
     * on meanwhile; the copy holds every write that returned before the call and none that began after it returned.
     */
    void checkpoint(Path target);

    /**
     * Runs {@code action} holding the locks named {@code keys}, against every other holder of one of them: in this
     * JVM, and where the store is {@link #shared}, in every process using the store (the read-modify-write of a
     * storage's counts, a queue's head, a unique name). Reentrant for the thread that holds them. Several keys are
     * taken in one fixed order; a call nested in another may take the same keys, or others only in an order that no
     * holder of those ever reverses (the daemon nests just the actors' lock, then the tasks').
     *
     * @throws StateLockTimeoutException when the locks were not free within the store's lock timeout
     */
    <T> T locked(Collection<String> keys, Supplier<T> action);

    /**
     * Whether other processes may change this store while this one runs (two daemons on one PostgreSQL database):
     * then data kept in memory is only current while its lock is held and read again under it, never trusted from
     * before; a store only this process opens (RocksDB) lets the lock holder keep what it wrote.
     */
    default boolean shared() {
        return false;
    }

    /**
     * How the processes sharing this store wake each other ({@link Batch#signal}); {@link StoreSignals#NONE} for a
     * store that is not {@link #shared}.
     */
    default StoreSignals signals() {
        return StoreSignals.NONE;
    }

    /** The schema version stored with the data. */
    int schemaVersion();

    /** Sizes and compaction figures for the daemon's metrics; empty where the implementation keeps none. */
    default Optional<StoreStatistics> statistics() {
        return Optional.empty();
    }

    /**
     * Why the store cannot serve now (closed, or refusing writes after a disk error), or empty when it can: the
     * daemon's {@code /readyz}.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /** Closes the store; idempotent. Any later use throws {@link StoreException}. */
    @Override
    void close();
}
