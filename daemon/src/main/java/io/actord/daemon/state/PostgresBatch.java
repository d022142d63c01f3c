package io.actord.daemon.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@link Batch} for {@link PostgresStateStore}: the changes as data, applied in order inside one transaction by
 * {@link #apply}, so the store can apply them again when PostgreSQL aborts the transaction for a deadlock or a
 * serialization failure. Runs of the same change to the same table go as one JDBC batch (one round trip).
 */
final class PostgresBatch implements Batch {
    private final PostgresStateStore store;
    private final List<Op> ops = new ArrayList<>();

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

    int operations() {
        return ops.size();
    }

    /** Runs the changes in order on {@code c}, whose transaction the caller owns. */
    void apply(Connection c) throws SQLException {
        int i = 0;
        while (i < ops.size()) {
            Op first = ops.get(i);
            int j = i;
            try (PreparedStatement st = c.prepareStatement(first.sql())) {
                while (j < ops.size() && sameStatement(first, ops.get(j))) {
                    ops.get(j).bind(st);
                    st.addBatch();
                    j++;
                }
                st.executeBatch();
            }
            i = j;
        }
    }

    private static boolean sameStatement(Op a, Op b) {
        return a.getClass() == b.getClass() && a.table().equals(b.table()) && a.sql().equals(b.sql());
    }
}
