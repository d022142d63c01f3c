package io.actord.daemon.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * RocksDB's write buffers stay bounded however many tables are written: 64 MB written evenly over 40 tables stayed
 * all in memory with RocksDB's defaults (64 MB of buffer per table, a WAL bound of 4 × all of them); here the
 * bounded WAL makes it flush the tables that keep its oldest file. What was flushed reads back, after a reopen too.
 */
class RocksMemoryTest {
    private static final int TABLES = 40;

    @TempDir
    Path dir;

    @Test
    void shouldBoundTheWriteBuffersOverManyTablesAndKeepTheData() {
        List<TableDef<String, String>> tables = new ArrayList<>();
        for (int i = 0; i < TABLES; i++) {
            tables.add(new TableDef<>("t" + i, Codecs.STRING, Codecs.STRING));
        }
        String value = "v".repeat(4096);
        try (StateStore store = RocksStateStore.open(dir, List.copyOf(tables))) {
            for (int round = 0; round < 400; round++) {
                int r = round;
                store.writeUnsynced(b -> tables.forEach(t -> store.table(t).putInBatch(b, "k" + r, value)));
                long inMemory = store.statistics().orElseThrow().memtableBytes();
                // RocksDB flushes in the background once the WAL passes its bound: what is written meanwhile stays too.
                assertTrue(inMemory <= RocksMemory.MAX_TOTAL_WAL + RocksMemory.ALL_WRITE_BUFFERS,
                        "write buffers after round " + round + ": " + inMemory + " bytes");
            }
            store.table(tables.get(7)).put("last", "synced");
        }
        try (StateStore store = RocksStateStore.open(dir, List.copyOf(tables))) {
            assertEquals(value, store.table(tables.get(0)).get("k0").orElseThrow());
            assertEquals(value, store.table(tables.get(TABLES - 1)).get("k399").orElseThrow());
            assertEquals("synced", store.table(tables.get(7)).get("last").orElseThrow());
        }
    }
}
