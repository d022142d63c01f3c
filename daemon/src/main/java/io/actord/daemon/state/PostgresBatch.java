package io.actord.daemon.state;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * A {@link Batch} for {@link PostgresStateStore}: the changes as data, applied inside one transaction by
 * {@link #apply} (each table's in the order given), so the store can apply them again when PostgreSQL aborts the
 * transaction for a deadlock or a serialization failure. Runs of the same change to the same table go as JDBC
 * batches of at most {@link #STATEMENT_ROWS} rows (one round trip each). Its {@link #signal signals} are
 * {@code NOTIFY}s in the same transaction, so a listener hears of a change only once it is committed.
 *
 * <p>The changes are kept encoded, one {@link OpLog} per table, and a table's log past {@link OpLog#SPILL_BYTES}
 * moves to a temporary file: a dataset push of three million items (9 MiB of JSON) is that many rows, and as objects
 * on the heap they took over 300 MiB, where RocksDB's write batch is native memory. {@link #close} removes the files.
 */
final class PostgresBatch implements Batch, AutoCloseable {
    /** Rows per JDBC batch: enough to amortize the round trip, few enough to hold as objects. */
    static final int STATEMENT_ROWS = 4_096;

    private final PostgresStateStore store;
    private final Map<String, OpLog> byTable = new TreeMap<>();
    private int operations;
    /** The signals, as channel and payload pairs, sent by the transaction after its changes. */
    private final List<String[]> signals = new ArrayList<>();
    /** The conditions on stored rows, checked first in the transaction (a few per batch: kept as objects). */
    private final List<Require> requires = new ArrayList<>();

    PostgresBatch(PostgresStateStore store) {
        this.store = store;
    }

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

    /**
     * A condition on the row of {@code key}: {@code conflict} is given its stored value (null: none) and says what
     * is wrong with it, or nothing.
     */
    record Require(String table, byte[] key, Function<byte[], Optional<String>> conflict) {
        String sql() {
            return "SELECT v FROM " + table + " WHERE k = ? FOR UPDATE";
        }
    }

    void require(PostgresStateStore owner, Require condition) {
        if (owner != store) {
            throw new StoreException("a batch of one state store was given to a table of another");
        }
        requires.add(condition);
    }

    void add(PostgresStateStore owner, Op op) {
        if (owner != store) {
            throw new StoreException("a batch of one state store was given to a table of another");
        }
        byTable.computeIfAbsent(op.table(), OpLog::new).append(op);
        operations++;
    }

    /** A {@code NOTIFY} in the batch's transaction: PostgreSQL delivers it on commit, and drops it on rollback. */
    @Override
    public void signal(String channel, String payload) {
        signals.add(new String[] {StoreSignals.checkChannel(channel), payload});
    }

    int operations() {
        return operations + signals.size();
    }

    /**
     * Runs the changes on {@code c}, whose transaction the caller owns: table by table (in name order, so two batches
     * lock their rows in the same order), each table's changes in the order given. Changes to different tables do not
     * touch each other, so the outcome is that of the given order, in fewer round trips: a batch that changes three
     * tables in turn 25 times (a request queue's head lock) sends three statements, not 75. A run of puts to one table
     * goes as statements of many rows (the driver's {@code reWriteBatchedInserts}), each key once per JDBC batch with
     * the last value put for it: one multi-row upsert must not change a row twice. May be called again after a
     * rollback.
     */
    void apply(Connection c) throws SQLException {
        for (Require condition : requires) {
            check(c, condition);
        }
        for (OpLog log : byTable.values()) {
            List<Op> run = new ArrayList<>();
            try (OpLog.Reader ops = log.read()) {
                for (Op op = ops.next(); op != null; op = ops.next()) {
                    if (!run.isEmpty() && (run.size() == STATEMENT_ROWS || !sameStatement(run.get(0), op))) {
                        execute(c, run);
                        run.clear();
                    }
                    run.add(op);
                }
            }
            if (!run.isEmpty()) {
                execute(c, run);
            }
        }
        if (!signals.isEmpty()) {
            notify(c);
        }
    }

    /** Reads and locks the row until the transaction ends; a conflict rolls the transaction back. */
    private static void check(Connection c, Require condition) throws SQLException {
        byte[] stored;
        try (PreparedStatement st = c.prepareStatement(condition.sql())) {
            st.setBytes(1, condition.key());
            try (ResultSet rs = st.executeQuery()) {
                stored = rs.next() ? rs.getBytes(1) : null;
            }
        }
        Optional<String> conflict = condition.conflict().apply(stored);
        if (conflict.isPresent()) {
            throw new WriteConflictException(conflict.get());
        }
    }

    private static void execute(Connection c, List<Op> run) throws SQLException {
        Op first = run.get(0);
        try (PreparedStatement st = c.prepareStatement(first.sql())) {
            for (Op op : first instanceof Put ? lastPerKey(run) : run) {
                op.bind(st);
                st.addBatch();
            }
            st.executeBatch();
        }
    }

    /** Removes the temporary files of the tables whose changes did not fit in memory. */
    @Override
    public void close() {
        byTable.values().forEach(OpLog::close);
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
