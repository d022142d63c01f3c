package io.actord.daemon.state;

import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.FlushOptions;
import org.rocksdb.Range;
import org.rocksdb.RocksIterator;
import org.rocksdb.SizeApproximationFlag;
import org.rocksdb.Slice;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/** A {@link Table} on one RocksDB column family. Thread-safe. */
final class RocksTable<K, V> implements Table<K, V> {
    private final RocksStateStore store;
    private final TableDef<K, V> def;
    private final ColumnFamilyHandle cf;

    RocksTable(RocksStateStore store, TableDef<K, V> def, ColumnFamilyHandle cf) {
        this.store = store;
        this.def = def;
        this.cf = cf;
    }

    @Override
    public String name() {
        return def.name();
    }

    @Override
    public TableDef<K, V> def() {
        return def;
    }

    @Override
    public Optional<V> get(K key) {
        byte[] raw = def.keyCodec().encode(key);
        byte[] value = store.call("get " + describe(raw), db -> db.get(cf, raw));
        return value == null ? Optional.empty() : Optional.of(def.valueCodec().decode(value));
    }

    @Override
    public List<Optional<V>> getAll(List<K> keys) {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<byte[]> raw = keys.stream().map(def.keyCodec()::encode).toList();
        List<byte[]> values = store.call("get " + keys.size() + " keys of " + def.name(),
                db -> db.multiGetAsList(Collections.nCopies(raw.size(), cf), raw));
        return values.stream().map(v -> v == null ? Optional.<V>empty() : Optional.of(def.valueCodec().decode(v)))
                .toList();
    }

    @Override
    public void put(K key, V value) {
        store.write(batch -> putInBatch(batch, key, value));
    }

    @Override
    public void delete(K key) {
        store.write(batch -> deleteInBatch(batch, key));
    }

    @Override
    public void putInBatch(Batch batch, K key, V value) {
        rocks(batch).put(cf, def.name(), Keys.storable(def.name(), def.keyCodec().encode(key)),
                def.valueCodec().encode(value));
    }

    @Override
    public void deleteInBatch(Batch batch, K key) {
        rocks(batch).delete(cf, def.name(), def.keyCodec().encode(key));
    }

    /** Read now: no other process writes this store, and a run's writes come from one thread at a time. */
    @Override
    public void requireInBatch(Batch batch, K key, Function<Optional<V>, Optional<String>> conflict) {
        rocks(batch);
        conflict.apply(get(key)).ifPresent(reason -> {
            throw new WriteConflictException(reason);
        });
    }

    @Override
    public void deletePrefixInBatch(Batch batch, byte[] prefix) {
        rocks(batch).deleteRange(cf, def.name(), prefix, end(prefix));
    }

    @Override
    public void compact(byte[] prefix) {
        store.call("compact " + describe(prefix), db -> {
            db.compactRange(cf, prefix, end(prefix));
            return null;
        });
    }

    @Override
    public long approximateBytes(byte[] prefix) {
        return store.call("size of " + describe(prefix), db -> {
            try (Slice from = new Slice(prefix); Slice to = new Slice(end(prefix))) {
                return db.getApproximateSizes(cf, List.of(new Range(from, to)), SizeApproximationFlag.INCLUDE_FILES,
                        SizeApproximationFlag.INCLUDE_MEMTABLES)[0];
            }
        });
    }

    @Override
    public void flush() {
        store.call("flush " + def.name(), db -> {
            try (FlushOptions options = new FlushOptions().setWaitForFlush(true)) {
                db.flush(options, cf);
            }
            return null;
        });
    }

    @Override
    public long fileBytes() {
        return store.call("file size of " + def.name(), db -> db.getLongProperty(cf, "rocksdb.total-sst-files-size"));
    }

    private static RocksBatch rocks(Batch batch) {
        return (RocksBatch) batch;
    }

    private static byte[] end(byte[] prefix) {
        return Keys.prefixEnd(prefix).orElseThrow(() -> new StoreException("a prefix of only 0xFF bytes has no end"));
    }

    @Override
    public CloseableIterator<Entry<K, V>> scan(Scan scan) {
        RocksIterator it = store.newIterator(cf);
        store.call("seek " + describe(scan.prefix()), db -> {
            seek(it, scan);
            return null;
        });
        return new TableIterator(it, scan);
    }

    @Override
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

    @Override
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
            // A start before the prefix would land on keys outside it, where the scan stops at once.
            it.seek(scan.start().filter(start -> Arrays.compareUnsigned(start, scan.prefix()) > 0)
                    .orElse(scan.prefix()));
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
