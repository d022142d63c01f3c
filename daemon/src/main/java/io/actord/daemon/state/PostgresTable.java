package io.actord.daemon.state;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@link Table} on one PostgreSQL table {@code kv_<name>} of {@code bytea} keys and values. Thread-safe: each call
 * takes a pooled connection for as long as it runs.
 *
 * <p>A scan reads its range in pages of {@link #PAGE} rows, each page a query that goes on after the last key of the
 * one before (keyset paging), so an open iterator holds no connection and no transaction. Unlike a RocksDB iterator
 * it is not one snapshot: each page sees the writes committed before it was read.
 */
final class PostgresTable<K, V> implements Table<K, V> {
    static final int PAGE = 256;
    /** Keys one {@link #getAll} query names at most (a statement takes at most 65,535 parameters). */
    private static final int MAX_KEYS_PER_READ = 1000;

    private final PostgresStateStore store;
    private final TableDef<K, V> def;
    private final String sqlName;

    PostgresTable(PostgresStateStore store, TableDef<K, V> def) {
        this.store = store;
        this.def = def;
        this.sqlName = sqlName(def.name());
    }

    /** The quoted name of a declaration's table. */
    static String sqlName(String name) {
        String table = "kv_" + name;
        if (table.getBytes(StandardCharsets.UTF_8).length > 63) {
            throw new StoreException("table " + name + ": PostgreSQL names are at most 63 bytes");
        }
        return "\"" + table.replace("\"", "\"\"") + "\"";
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
        byte[] value = store.call("get " + describe(raw), c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT v FROM " + sqlName + " WHERE k = ?")) {
                st.setBytes(1, raw);
                try (ResultSet rs = st.executeQuery()) {
                    return rs.next() ? rs.getBytes(1) : null;
                }
            }
        });
        return value == null ? Optional.empty() : Optional.of(def.valueCodec().decode(value));
    }

    @Override
    public List<Optional<V>> getAll(List<K> keys) {
        List<byte[]> raw = keys.stream().map(def.keyCodec()::encode).toList();
        Map<ByteBuffer, byte[]> found = new HashMap<>();
        for (int from = 0; from < raw.size(); from += MAX_KEYS_PER_READ) {
            List<byte[]> part = raw.subList(from, Math.min(raw.size(), from + MAX_KEYS_PER_READ));
            store.call("get " + part.size() + " keys of " + def.name(), c -> {
                String marks = String.join(",", Collections.nCopies(part.size(), "?"));
                try (PreparedStatement st = c.prepareStatement("SELECT k, v FROM " + sqlName + " WHERE k IN ("
                        + marks + ")")) {
                    for (int i = 0; i < part.size(); i++) {
                        st.setBytes(i + 1, part.get(i));
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            found.put(ByteBuffer.wrap(rs.getBytes(1)), rs.getBytes(2));
                        }
                    }
                }
                return null;
            });
        }
        return raw.stream().map(k -> Optional.ofNullable(found.get(ByteBuffer.wrap(k))).map(def.valueCodec()::decode))
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
        pg(batch).add(store, new PostgresBatch.Put(sqlName, Keys.storable(def.name(), def.keyCodec().encode(key)),
                def.valueCodec().encode(value)));
    }

    @Override
    public void deleteInBatch(Batch batch, K key) {
        pg(batch).add(store, new PostgresBatch.Delete(sqlName, def.keyCodec().encode(key)));
    }

    @Override
    public void requireInBatch(Batch batch, K key, Function<Optional<V>, Optional<String>> conflict) {
        pg(batch).require(store, new PostgresBatch.Require(sqlName, def.keyCodec().encode(key),
                raw -> conflict.apply(Optional.ofNullable(raw).map(def.valueCodec()::decode))));
    }

    @Override
    public void deletePrefixInBatch(Batch batch, byte[] prefix) {
        pg(batch).add(store, new PostgresBatch.DeleteRange(sqlName, prefix.clone(), Keys.prefixEnd(prefix)));
    }

    /** {@code VACUUM}: the space of deleted rows becomes reusable (and a free tail goes back to the file system). */
    @Override
    public void compact(byte[] prefix) {
        store.call("compact " + describe(prefix), c -> {
            try (var st = c.createStatement()) {
                st.execute("VACUUM " + sqlName);
            }
            return null;
        });
    }

    /** The bytes of the keys and values under {@code prefix}, as stored before compression. */
    @Override
    public long approximateBytes(byte[] prefix) {
        return rangeQuery("size of " + describe(prefix), "coalesce(sum(octet_length(k) + octet_length(v)), 0)",
                prefix);
    }

    /** Nothing to do: a committed write is in PostgreSQL's WAL, and the server writes its tables out itself. */
    @Override
    public void flush() {
        store.checkOpen("flush " + def.name());
    }

    /** The table with its index and TOAST data ({@code pg_total_relation_size}). */
    @Override
    public long fileBytes() {
        return store.call("file size of " + def.name(), c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT pg_total_relation_size(?::regclass)")) {
                st.setString(1, sqlName);
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    @Override
    public CloseableIterator<Entry<K, V>> scan(Scan scan) {
        store.checkOpen("seek " + describe(scan.prefix()));
        byte[] from = scan.start().filter(start -> Arrays.compareUnsigned(start, scan.prefix()) > 0)
                .orElse(scan.prefix());
        return new PageIterator(scan.reverse(), from, Keys.prefixEnd(scan.prefix()));
    }

    @Override
    public long count(byte[] prefix) {
        return rangeQuery("count " + describe(prefix), "count(*)", prefix);
    }

    @Override
    public long count() {
        return count(new byte[0]);
    }

    /** One figure over the keys under {@code prefix}. */
    private long rangeQuery(String what, String select, byte[] prefix) {
        Optional<byte[]> end = Keys.prefixEnd(prefix);
        return store.call(what, c -> {
            try (PreparedStatement st = c.prepareStatement("SELECT " + select + " FROM " + sqlName + " WHERE k >= ?"
                    + (end.isPresent() ? " AND k < ?" : ""))) {
                st.setBytes(1, prefix);
                if (end.isPresent()) {
                    st.setBytes(2, end.get());
                }
                try (ResultSet rs = st.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    private static PostgresBatch pg(Batch batch) {
        if (!(batch instanceof PostgresBatch b)) {
            throw new StoreException("a PostgreSQL table takes only its own store's batches");
        }
        return b;
    }

    private String describe(byte[] key) {
        return def.name() + "/" + RocksTable.printable(key);
    }

    /**
     * Walks {@code low <= k < high} (no {@code high}: to the end) a page at a time, forward or in reverse; after each
     * page the bound on the side it came from moves to its last key, exclusive.
     */
    private final class PageIterator implements CloseableIterator<Entry<K, V>> {
        private final boolean reverse;
        private byte[] low;
        private boolean lowInclusive = true;
        private Optional<byte[]> high;
        private final Deque<Entry<byte[], byte[]>> page = new ArrayDeque<>();
        private boolean exhausted;
        private boolean closed;

        PageIterator(boolean reverse, byte[] low, Optional<byte[]> high) {
            this.reverse = reverse;
            this.low = low;
            this.high = high;
        }

        @Override
        public boolean hasNext() {
            store.checkOpen("iterate " + def.name());
            if (closed) {
                return false;
            }
            if (page.isEmpty() && !exhausted) {
                fetch();
            }
            return !page.isEmpty();
        }

        private void fetch() {
            String sql = "SELECT k, v FROM " + sqlName + " WHERE k " + (lowInclusive ? ">=" : ">") + " ?"
                    + (high.isPresent() ? " AND k < ?" : "") + " ORDER BY k" + (reverse ? " DESC" : "")
                    + " LIMIT " + PAGE;
            store.call("iterate " + describe(reverse ? high.orElse(low) : low), c -> {
                try (PreparedStatement st = c.prepareStatement(sql)) {
                    st.setBytes(1, low);
                    if (high.isPresent()) {
                        st.setBytes(2, high.get());
                    }
                    try (ResultSet rs = st.executeQuery()) {
                        while (rs.next()) {
                            page.add(new Entry<>(rs.getBytes(1), rs.getBytes(2)));
                        }
                    }
                }
                return null;
            });
            exhausted = page.size() < PAGE;
            if (!page.isEmpty()) {
                byte[] last = page.getLast().key();
                if (reverse) {
                    high = Optional.of(last);
                } else {
                    low = last;
                    lowInclusive = false;
                }
            }
        }

        @Override
        public Entry<K, V> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Entry<byte[], byte[]> e = page.removeFirst();
            return new Entry<>(def.keyCodec().decode(e.key()), def.valueCodec().decode(e.value()));
        }

        @Override
        public void close() {
            closed = true;
            page.clear();
        }
    }
}
