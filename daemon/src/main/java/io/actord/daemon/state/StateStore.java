package io.actord.daemon.state;

import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

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
