package io.actord.daemon.store;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Range;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;

import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * A typed view of one column family. Thread-safe; single puts and deletes are synced to the WAL, and
 * several changes that must happen together go through {@link StateStore#write} with the
 * {@code ...InBatch} methods.
 */
public final class Table<K, V> {
    private final StateStore store;
    private final TableDef<K, V> def;
    private final ColumnFamilyHandle cf;

    Table(StateStore store, TableDef<K, V> def, ColumnFamilyHandle cf) {
        this.store = store;
        this.def = def;
        this.cf = cf;
    }

    public String name() {
        return def.name();
    }

    public Optional<V> get(K key) {
        byte[] raw = def.keyCodec().encode(key);
        byte[] value = store.call("get " + describe(raw), db -> db.get(cf, raw));
        return value == null ? Optional.empty() : Optional.of(def.valueCodec().decode(value));
    }

    public void put(K key, V value) {
        store.write(batch -> putInBatch(batch, key, value));
    }

    public void delete(K key) {
        store.write(batch -> deleteInBatch(batch, key));
    }

    public void putInBatch(Batch batch, K key, V value) {
        batch.put(cf, def.name(), def.keyCodec().encode(key), def.valueCodec().encode(value));
    }

    public void deleteInBatch(Batch batch, K key) {
        batch.delete(cf, def.name(), def.keyCodec().encode(key));
    }

    /**
     * Adds deleting every key that starts with {@code prefix} to a batch: one range tombstone however many
     * keys there are. The space comes back when the range is compacted ({@link #compact}).
     */
    public void deletePrefixInBatch(Batch batch, byte[] prefix) {
        batch.deleteRange(cf, def.name(), prefix, end(prefix));
    }

    /** Compacts the keys under {@code prefix}, dropping deleted data from the files (and freeing its space). */
    public void compact(byte[] prefix) {
        store.call("compact " + describe(prefix), db -> {
            db.compactRange(cf, prefix, end(prefix));
            return null;
        });
    }

    /** About how many bytes the keys under {@code prefix} take, in files and in memory. */
    public long approximateBytes(byte[] prefix) {
        return store.call("size of " + describe(prefix), db -> {
            try (Slice from = new Slice(prefix); Slice to = new Slice(end(prefix))) {
                return db.getApproximateSizes(cf, List.of(new Range(from, to)), SizeApproximationFlag.INCLUDE_FILES,
                        SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
            }
        });
    }

    /** Writes the table's memtable out to files (what {@link #fileBytes} counts). */
    public void flush() {
        store.call("flush " + def.name(), db -> {
            try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
                db.flush(options, cf);
            }
            return null;
        });
    }

    /** The table's data files, in bytes (what compaction gives back shows here). */
    public long fileBytes() {
        return store.call("file size of " + def.name(), db -> db.getLongProperty(cf, "rocksdb.total-sst-files-size"));
    }

    private static byte[] end(byte[] prefix) {
        return Keys.prefixEnd(prefix).orElseThrow(() -> new StoreException("a prefix of only 0xFF bytes has no end"));
    }

    /** Visits the entries the scan selects, in key order (or reverse). Close the iterator. */
    public CloseableIterator<Entry<K, V>> scan(Scan scan) {
        RocksIterator it = store.newIterator(cf);
        store.call("seek " + describe(scan.prefix()), db -> {
            seek(it, scan);
            return null;
        });
        return new TableIterator(it, scan);
    }

    /** How many keys start with {@code prefix}; exact, so it walks them. */
    public long count(byte[] prefix) {
        long n = 0;
        try (CloseableIterator<Entry<K, V>> it = scan(Scan.prefix(prefix))) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    public long count() {
        return count(new byte[0]);
    }

    private static void seek(RocksIterator it, Scan scan) {
        if (scan.reverse()) {
            Optional<byte[]> end = Keys.prefixEnd(scan.prefix());
            if (end.isPresent()) {
                it.seekForPrev(end.get());
                if (it.isValid() && Arrays.equals(it.key(), end.get())) {
                    it.prev();
                }
            } else {
                it.seekToLast();
            }
        } else {
            it.seek(scan.start().orElse(scan.prefix()));
        }
    }

    private String describe(byte[] key) {
        return def.name() + "/" + printable(key);
    }

    /** Keys are mostly ids and names; show them as text with separators and binary bytes escaped. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder(key.length);
        for (byte b : key) {
            if (b == Keys.SEPARATOR) {
                sb.append('|');
            } else if (b >= 0x20 && b < 0x7F) {
                sb.append((char) b);
            } else {
                sb.append(String.format("\\x%02x", b & 0xFF));
            }
        }
        return sb.toString();
    }

    private final class TableIterator implements CloseableIterator<Entry<K, V>> {
        private final RocksIterator it;
        private final Scan scan;

        TableIterator(RocksIterator it, Scan scan) {
            this.it = it;
            this.scan = scan;
        }

        @Override
        public boolean hasNext() {
            return store.call("iterate " + def.name(), db -> it.isValid() && Keys.startsWith(it.key(), scan.prefix()));
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException("scan of " + def.name() + " is exhausted");
            }
            return store.call("iterate " + def.name(), db -> {
                Entry<K, V> e = new Entry<>(def.keyCodec().decode(it.key()), def.valueCodec().decode(it.value()));
                if (scan.reverse()) {
                    it.prev();
                } else {
                    it.next();
                }
                return e;
            });
        }

        @Override
        public void close() {
            store.closeIterator(it);
        }
    }
}
