package io.actord.daemon.state;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;

/**
 * A {@link Batch} for {@link PostgresStateStore}: the changes as data, applied inside one transaction by
 * {@link #apply} (each table's in the order given), so the store can apply them again when PostgreSQL aborts the
 * transaction for a deadlock or a serialization failure. Runs of the same change to the same table go as one JDBC
 * batch (one round trip). Its {@link #signal signals} are {@code NOTIFY}s in the same transaction, so a listener hears
 * of a change only once it is committed.
 */
final class PostgresBatch implements Batch {
    private final PostgresStateStore store;
    private final List<Op> ops = new ArrayList<>();
    /** The signals, as channel and payload pairs, sent by the transaction after its changes. */
    private final List<String[]> signals = new ArrayList<>();

    PostgresBatch(PostgresStateStore store) {
        this.store = store;
    }

    /** One change; {@code sql} is the statement, {@code table} the quoted table it changes. */
    sealed interface Op permits Put, Delete, DeleteRange {
        String table();

        String sql();

        void bind(PreparedStatement st) throws SQLException;
    }

    record Put(String table, byte[] key, byte[] value) implements Op {
        @Override
        public String sql() {
            return "INSERT INTO " + table + " (k, v) VALUES (?, ?) ON CONFLICT (k) DO UPDATE SET v = EXCLUDED.v";
        }

        @Override
        public void bind(PreparedStatement st) throws SQLException {
            st.setBytes(1, key);
            st.setBytes(2, value);
        }
    }

    record Delete(String table, byte[] key) implements Op {
        @Override
        public String sql() {
            return "DELETE FROM " + table + " WHERE k = ?";
        }

        @Override
        public void bind(PreparedStatement st) throws SQLException {
            st.setBytes(1, key);
        }
    }

    /** Deletes {@code from <= k < to}, or {@code from <= k} without an end (a prefix of only 0xFF bytes, or none). */
    record DeleteRange(String table, byte[] from, Optional<byte[]> to) implements Op {
        @Override
        public String sql() {
            return "DELETE FROM " + table + " WHERE k >= ?" + (to.isPresent() ? " AND k < ?" : "");
        }

        @Override
        public void bind(PreparedStatement st) throws SQLException {
            st.setBytes(1, from);
            if (to.isPresent()) {
                st.setBytes(2, to.get());
            }
        }
    }

    void add(PostgresStateStore owner, Op op) {
        if (owner != store) {
            throw new StoreException("a batch of one state store was given to a table of another");
        }
        ops.add(op);
    }

    /** A {@code NOTIFY} in the batch's transaction: PostgreSQL delivers it on commit, and drops it on rollback. */
    @Override
    public void signal(String channel, String payload) {
        signals.add(new String[] {StoreSignals.checkChannel(channel), payload});
    }

    int operations() {
        return ops.size() + signals.size();
    }

    /**
     * Runs the changes on {@code c}, whose transaction the caller owns: table by table (in name order, so two batches
     * lock their rows in the same order), each table's changes in the order given. Changes to different tables do not
     * touch each other, so the outcome is that of the given order, in fewer round trips: a batch that changes three
     * tables in turn 25 times (a request queue's head lock) sends three statements, not 75. A run of puts to one table
     * goes as one statement of many rows (the driver's {@code reWriteBatchedInserts}), each key once with the last
     * value put for it: one multi-row upsert must not change a row twice.
     */
    void apply(Connection c) throws SQLException {
        Map<String, List<Op>> byTable = new TreeMap<>();
        for (Op op : ops) {
            byTable.computeIfAbsent(op.table(), t -> new ArrayList<>()).add(op);
        }
        for (List<Op> changes : byTable.values()) {
            int i = 0;
            while (i < changes.size()) {
                Op first = changes.get(i);
                int j = i;
                while (j < changes.size() && sameStatement(first, changes.get(j))) {
                    j++;
                }
                try (PreparedStatement st = c.prepareStatement(first.sql())) {
                    for (Op op : first instanceof Put ? lastPerKey(changes.subList(i, j)) : changes.subList(i, j)) {
                        op.bind(st);
                        st.addBatch();
                    }
                    st.executeBatch();
                }
                i = j;
            }
        }
        if (!signals.isEmpty()) {
            notify(c);
        }
    }

    /** Every signal in one statement (one round trip), after the changes they announce. */
    private void notify(Connection c) throws SQLException {
        try (PreparedStatement st = c.prepareStatement(
                "SELECT count(pg_notify(s.channel, s.payload)) FROM unnest(?::text[], ?::text[]) AS s(channel, payload)")) {
            st.setArray(1, c.createArrayOf("text", signals.stream().map(s -> s[0]).toArray()));
            st.setArray(2, c.createArrayOf("text", signals.stream().map(s -> s[1]).toArray()));
            st.executeQuery().close();
        }
    }

    /** The puts of one table, each key once, with the last value put for it. */
    private static Collection<Op> lastPerKey(List<Op> puts) {
        Map<ByteBuffer, Op> last = new LinkedHashMap<>();
        for (Op op : puts) {
            last.put(ByteBuffer.wrap(((Put) op).key()), op);
        }
        return last.values();
    }

    private static boolean sameStatement(Op a, Op b) {
        return a.getClass() == b.getClass() && a.table().equals(b.table()) && a.sql().equals(b.sql());
    }
}
