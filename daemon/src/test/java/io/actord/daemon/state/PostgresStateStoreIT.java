package io.actord.daemon.state;

import io.actord.daemon.state.Codecs.Empty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The store contract on a real PostgreSQL server ({@link PostgresServer}: one per test JVM, a fresh database per
 * test), plus what only this backend can show: a batch that PostgreSQL refuses midway, keys longer than its index
 * takes, a checkpoint that is a pg_dump, and the figures it reports.
 */
class PostgresStateStoreIT extends StateStoreContract {
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    private String uri;

    @BeforeEach
    void database(TestInfo test) {
        long begin = System.nanoTime();
        uri = PG.database(test.getTestMethod().map(m -> m.getName()).orElse("test"));
        System.out.printf("PostgreSQL test database %s created in %d ms%n", uri,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin));
    }

    @Override
    protected StateStore open(List<TableDef<?, ?>> tables) {
        return PostgresStateStore.open(PostgresLocation.parse(uri), tables);
    }

    /**
     * A statement PostgreSQL refuses in the middle of a batch undoes it all. The store refuses over-long keys itself
     * ({@link Keys#MAX_KEY_BYTES}), so the test gives the table a constraint of its own that the batch's key breaks.
     */
    @Test
    void shouldWriteNothingOfABatchThatFailsInTheDatabase() throws SQLException {
        try (StateStore store = open(List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            names.put("kept", "0");
            PostgresLocation location = PostgresLocation.parse(uri);
            try (Connection c = DriverManager.getConnection(location.jdbcUrl(), location.properties());
                 Statement st = c.createStatement()) {
                st.execute("ALTER TABLE kv_index ADD CONSTRAINT short_keys CHECK (length(k) <= 64)");
            }
            byte[] refusedKey = new byte[65];
            new Random(7).nextBytes(refusedKey);
            StoreException e = assertThrows(StoreException.class, () -> store.write(b -> {
                names.putInBatch(b, "first", "1");
                names.deleteInBatch(b, "kept");
                index.putInBatch(b, Keys.prefix("second"), Empty.INSTANCE);
                index.putInBatch(b, refusedKey, Empty.INSTANCE);
                names.putInBatch(b, "after", "2");
            }));
            assertTrue(e.getMessage().startsWith("write batch of 5 operations"), e.getMessage());
            assertTrue(names.get("first").isEmpty());
            assertTrue(names.get("after").isEmpty());
            assertEquals("0", names.get("kept").orElseThrow());
            assertEquals(0, index.count());
        }
    }

    /** The checkpoint is a pg_dump directory; pg_restore into an empty database gives the same store back. */
    @Test
    void shouldCheckpointAsADumpThatRestores(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("dump");
        try (StateStore store = open(List.of(NAMES))) {
            store.table(NAMES).put("a", "alpha");
            store.checkpoint(target);
            store.table(NAMES).put("b", "after the checkpoint");
            StoreException e = assertThrows(StoreException.class, () -> store.checkpoint(target));
            assertTrue(e.getMessage().contains("exists"), e.getMessage());
        }
        assertTrue(Files.exists(target.resolve("toc.dat")), "pg_dump's directory format has a toc.dat");
        String restored = PG.database("restored");
        PostgresLocation to = PostgresLocation.parse(restored);
        ProcessBuilder pb = new ProcessBuilder("pg_restore", "--no-owner", "--dbname=" + to.database(),
                target.toString()).redirectErrorStream(true);
        pb.environment().putAll(to.libpqEnvironment());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        uri = restored;
        try (StateStore store = open(List.of(NAMES))) {
            assertEquals("alpha", store.table(NAMES).get("a").orElseThrow());
            assertTrue(store.table(NAMES).get("b").isEmpty(), "a write after the checkpoint is not in it");
            assertEquals(StateStore.SCHEMA_VERSION, store.schemaVersion());
        }
    }

    @Test
    void shouldReportSizesAndRefuseUnknownBatches() {
        try (StateStore store = open(List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            names.put("a", "x".repeat(10_000));
            names.compact(new byte[0]);
            assertTrue(names.fileBytes() > 0);
            assertTrue(names.approximateBytes("a".getBytes()) >= 10_000);
            StoreStatistics stats = store.statistics().orElseThrow();
            assertTrue(stats.sstFilesBytes() >= names.fileBytes(), stats.toString());
            assertTrue(store.unavailableReason().isEmpty());
            assertThrows(StoreException.class, () -> names.putInBatch((channel, payload) -> { }, "k", "v"));
        }
    }
}
