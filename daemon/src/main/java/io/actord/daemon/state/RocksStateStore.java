package io.actord.daemon.state;

import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The {@link StateStore} on RocksDB: one column family per {@link TableDef}, the WAL always on, and the schema
 * version in the {@code meta} table.
 *
 * <p>Every operation holds a read lock and {@link #close()} takes the write lock, because using a RocksDB
 * handle after it is closed crashes the JVM instead of throwing.
 */
public final class RocksStateStore implements StateStore {
    private static final Logger LOG = LoggerFactory.getLogger(RocksStateStore.class);

    private final Path dir;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions cfOptions;
    private final WriteOptions syncedWrites;
    private final WriteOptions plainWrites;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles;
    private final Map<String, ColumnFamilyHandle> handlesByName;
    private final Set<RocksIterator> openIterators = ConcurrentHashMap.newKeySet();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final JvmLocks locks = new JvmLocks();
    private boolean closed;

    private RocksStateStore(Path dir, DBOptions dbOptions, ColumnFamilyOptions cfOptions, RocksDB db,
                       List<ColumnFamilyHandle> handles, Map<String, ColumnFamilyHandle> handlesByName) {
        this.dir = dir;
        this.dbOptions = dbOptions;
        this.cfOptions = cfOptions;
        this.db = db;
        this.handles = handles;
        this.handlesByName = handlesByName;
        this.syncedWrites = new WriteOptions().setSync(true);
        this.plainWrites = new WriteOptions();
    }

    /**
     * Opens (or creates) the database in {@code dir} with a column family for each table, creating missing
     * ones. Column families found on disk but not declared are opened too (RocksDB requires it) and left alone.
     *
     * @throws StoreException when the directory cannot be used, the database is locked by another process,
     *                        or it was written by a newer schema
     */
    public static RocksStateStore open(Path dir, Collection<TableDef<?, ?>> tables) {
        RocksDbLibrary.ensureLoaded();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new StoreException("create state directory " + dir, e);
        }
        Set<String> names = new LinkedHashSet<>();
        names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        names.add(StoreMeta.TABLE.name());
        tables.forEach(t -> names.add(t.name()));
        return open(dir, names, false);
    }

    /**
     * Opens the database in {@code dir} (a {@link #checkpoint} of one) for reading only, with every table it has:
     * writes fail, and nothing in {@code dir} changes.
     *
     * @throws StoreException when there is no database there, or it was written by a newer schema
     */
    public static RocksStateStore openReadOnly(Path dir) {
        RocksDbLibrary.ensureLoaded();
        return open(dir, new LinkedHashSet<>(), true);
    }

    private static RocksStateStore open(Path dir, Set<String> names, boolean readOnly) {
        try (Options listOptions = new Options()) {
            for (byte[] existing : RocksDB.listColumnFamilies(listOptions, dir.toString())) {
                names.add(new String(existing, StandardCharsets.UTF_8));
            }
        } catch (RocksDBException e) {
            throw new StoreException("list column families in " + dir, e);
        }
        if (readOnly && names.isEmpty()) {
            throw new StoreException("open state database " + dir + " to read: there is none");
        }
        DBOptions dbOptions = RocksMemory.dbOptions()
                .setCreateIfMissing(!readOnly)
                .setCreateMissingColumnFamilies(!readOnly)
                .setKeepLogFileNum(5);
        ColumnFamilyOptions cfOptions = RocksMemory.columnFamilyOptions();
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        names.forEach(n -> descriptors.add(new ColumnFamilyDescriptor(n.getBytes(StandardCharsets.UTF_8), cfOptions)));
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        RocksDB db;
        try {
            db = readOnly ? RocksDB.openReadOnly(dbOptions, dir.toString(), descriptors, handles)
                    : RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
        } catch (RocksDBException e) {
            cfOptions.close();
            dbOptions.close();
            throw new StoreException("open state database " + dir, e);
        }
        Map<String, ColumnFamilyHandle> byName = new HashMap<>();
        List<String> ordered = new ArrayList<>(names);
        for (int i = 0; i < handles.size(); i++) {
            byName.put(ordered.get(i), handles.get(i));
        }
        RocksStateStore store = new RocksStateStore(dir, dbOptions, cfOptions, db, handles, byName);
        try {
            StoreMeta.checkSchema(store, readOnly, dir);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
        LOG.info("state store opened dir={} tables={} schema={}{}", dir, names.size() - 1, SCHEMA_VERSION,
                readOnly ? " read-only" : "");
        return store;
    }

    public Path dir() {
        return dir;
    }

    @Override
    public <K, V> Table<K, V> table(TableDef<K, V> def) {
        ColumnFamilyHandle cf = handlesByName.get(def.name());
        if (cf == null) {
            throw new StoreException("table " + def.name() + " was not declared when the store was opened");
        }
        return new RocksTable<>(this, def, cf);
    }

    @Override
    public void write(Consumer<Batch> ops) {
        write(ops, syncedWrites, "write batch");
    }

    @Override
    public void writeUnsynced(Consumer<Batch> ops) {
        write(ops, plainWrites, "write unsynced batch");
    }

    /**
     * Fills and writes one batch under the read lock: filling it uses the column family handles, which
     * {@link #close()} frees (a batch filled across a close crashed the JVM in RocksDB's native put).
     */
    private void write(Consumer<Batch> ops, WriteOptions options, String what) {
        lock.readLock().lock();
        try (WriteBatch wb = new WriteBatch()) {
            if (closed) {
                throw new StoreException(what + ": the state store is closed");
            }
            RocksBatch batch = new RocksBatch(wb);
            ops.accept(batch);
            if (batch.operations() == 0) {
                return;
            }
            call(what + " of " + batch.operations() + " operations", d -> {
                d.write(options, wb);
                return null;
            });
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public void checkpoint(Path target) {
        call("checkpoint the state database into " + target, d -> {
            try (Checkpoint checkpoint = Checkpoint.create(d)) {
                checkpoint.createCheckpoint(target.toString());
            }
            return null;
        });
        LOG.info("state store checkpoint dir={} target={}", dir, target);
    }

    /** Locks in this JVM: RocksDB lets one process open the directory, so nobody else can change it. */
    @Override
    public <T> T locked(Collection<String> keys, Supplier<T> action) {
        return locks.locked(keys, action);
    }

    @Override
    public int schemaVersion() {
        return StoreMeta.schemaVersion(this);
    }

    @Override
    public Optional<StoreStatistics> statistics() {
        return Optional.of(call("read statistics", d -> new StoreStatistics(sum(d, "rocksdb.total-sst-files-size"),
                sum(d, "rocksdb.estimate-live-data-size"), sum(d, "rocksdb.cur-size-all-mem-tables"),
                sum(d, "rocksdb.estimate-num-keys"), sum(d, "rocksdb.estimate-pending-compaction-bytes"),
                sum(d, "rocksdb.compaction-pending"), d.getLongProperty("rocksdb.num-running-compactions"),
                d.getLongProperty("rocksdb.background-errors"))));
    }

    /** A table-level property summed over the tables (a database-level one would be counted once per table). */
    private long sum(RocksDB d, String property) throws RocksDBException {
        long total = 0;
        for (ColumnFamilyHandle h : handles) {
            total += d.getLongProperty(h, property);
        }
        return total;
    }

    /**
     * Probes with a small unsynced write to the meta table: after a flush or compaction failed on the disk (full,
     * I/O error) RocksDB refuses writes until it recovers, and says why.
     */
    @Override
    public Optional<String> unavailableReason() {
        return StoreMeta.probe(this);
    }

    RocksIterator newIterator(ColumnFamilyHandle cf) {
        return call("open iterator", d -> {
            RocksIterator it = d.newIterator(cf);
            openIterators.add(it);
            return it;
        });
    }

    void closeIterator(RocksIterator it) {
        lock.readLock().lock();
        try {
            if (openIterators.remove(it)) {
                it.close();
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs one RocksDB call under the read lock, with failures wrapped as {@code what: cause}. */
    <T> T call(String what, RocksCall<T> call) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new StoreException(what + ": the state store is closed");
            }
            return call.apply(db);
        } catch (RocksDBException e) {
            throw new StoreException(what, e);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Closes everything, in the order RocksDB requires: open iterators, then column family handles, then
     * the database, then the options objects the handles and database were created with. Idempotent.
     */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            openIterators.forEach(RocksIterator::close);
            openIterators.clear();
            handles.forEach(ColumnFamilyHandle::close);
            try {
                db.closeE();
            } catch (RocksDBException e) {
                LOG.warn("state store close dir={} error=\"{}\"", dir, e.getMessage());
            }
            syncedWrites.close();
            plainWrites.close();
            cfOptions.close();
            dbOptions.close();
            LOG.info("state store closed dir={}", dir);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @FunctionalInterface
    interface RocksCall<T> {
        T apply(RocksDB db) throws RocksDBException;
    }
}
