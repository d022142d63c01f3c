package io.actord.daemon.store;

import io.actord.daemon.store.Codecs.Empty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateStoreTest {
    static final TableDef<String, String> NAMES = new TableDef<>("names", Codecs.STRING, Codecs.STRING);
    static final TableDef<byte[], Empty> INDEX = new TableDef<>("index", Codecs.BYTES, Codecs.EMPTY);

    @TempDir
    Path dir;

    @Test
    void shouldReadWhatWasPut() {
        try (StateStore store = StateStore.open(dir, List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            names.put("a", "alpha");
            assertEquals("alpha", names.get("a").orElseThrow());
            assertTrue(names.get("b").isEmpty());
            names.delete("a");
            assertTrue(names.get("a").isEmpty());
        }
    }

    @Test
    void shouldKeepDataAcrossReopen() {
        try (StateStore store = StateStore.open(dir, List.of(NAMES))) {
            store.table(NAMES).put("k", "v");
        }
        try (StateStore store = StateStore.open(dir, List.of(NAMES, INDEX))) {
            assertEquals("v", store.table(NAMES).get("k").orElseThrow());
            assertEquals(StateStore.SCHEMA_VERSION, store.schemaVersion());
        }
    }

    @Test
    void shouldScanAPrefixInKeyOrderForwardAndReverse() {
        try (StateStore store = StateStore.open(dir, List.of(INDEX))) {
            Table<byte[], Empty> index = store.table(INDEX);
            for (long t : new long[]{300, 5, 70_000_000_000L}) {
                index.put(Keys.builder().str("actorA").u64(t).tail("run" + t).build(), Empty.INSTANCE);
            }
            index.put(Keys.builder().str("actorB").u64(1).tail("other").build(), Empty.INSTANCE);
            byte[] prefix = Keys.prefix("actorA");
            assertEquals(List.of(5L, 300L, 70_000_000_000L), times(index.scan(Scan.prefix(prefix))));
            assertEquals(List.of(70_000_000_000L, 300L, 5L), times(index.scan(Scan.prefix(prefix).reversed(true))));
            assertEquals(List.of(300L, 70_000_000_000L),
                    times(index.scan(Scan.prefix(prefix).from(Keys.builder().str("actorA").u64(6).build()))));
            assertEquals(3, index.count(prefix));
            assertEquals(4, index.count());
        }
    }

    @Test
    void shouldScanTheLastPrefixInReverse() {
        try (StateStore store = StateStore.open(dir, List.of(NAMES))) {
            Table<String, String> names = store.table(NAMES);
            names.put("z1", "1");
            names.put("z2", "2");
            names.put("a", "0");
            List<String> seen = new ArrayList<>();
            try (CloseableIterator<Entry<String, String>> it = names.scan(Scan.prefix("z".getBytes()).reversed(true))) {
                it.forEachRemaining(e -> seen.add(e.key()));
            }
            assertEquals(List.of("z2", "z1"), seen);
        }
    }

    @Test
    void shouldApplyABatchAtomically() {
        try (StateStore store = StateStore.open(dir, List.of(NAMES, INDEX))) {
            Table<String, String> names = store.table(NAMES);
            Table<byte[], Empty> index = store.table(INDEX);
            names.put("old", "x");
            store.write(batch -> {
                names.deleteInBatch(batch, "old");
                names.putInBatch(batch, "new", "y");
                index.putInBatch(batch, Keys.prefix("new"), Empty.INSTANCE);
            });
            assertTrue(names.get("old").isEmpty());
            assertEquals("y", names.get("new").orElseThrow());
            assertEquals(1, index.count());
            assertThrows(IllegalStateException.class, () -> store.write(batch -> {
                names.putInBatch(batch, "half", "z");
                throw new IllegalStateException("abandon");
            }));
            assertTrue(names.get("half").isEmpty(), "a batch that threw must write nothing");
        }
    }

    @Test
    void shouldRefuseUseAfterCloseAndCloseOpenIterators() {
        StateStore store = StateStore.open(dir, List.of(NAMES));
        Table<String, String> names = store.table(NAMES);
        names.put("a", "1");
        CloseableIterator<Entry<String, String>> it = names.scan(Scan.all());
        store.close();
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> names.get("a"));
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
        assertThrows(StoreException.class, it::hasNext);
        it.close();
    }

    @Test
    void shouldRefuseATableThatWasNotDeclared() {
        try (StateStore store = StateStore.open(dir, List.of(NAMES))) {
            assertThrows(StoreException.class, () -> store.table(INDEX));
        }
    }

    @Test
    void shouldRefuseAStoreWrittenByANewerSchema() {
        TableDef<String, Integer> meta = new TableDef<>("meta", Codecs.STRING, Codecs.INT);
        try (StateStore store = StateStore.open(dir, List.of(meta))) {
            store.table(meta).put("schema", StateStore.SCHEMA_VERSION + 1);
        }
        StoreException e = assertThrows(StoreException.class, () -> StateStore.open(dir, List.of(NAMES)));
        assertTrue(e.getMessage().contains("schema"), e.getMessage());
    }

    @Test
    void shouldReportWhichTableAndKeyFailed() {
        StateStore store = StateStore.open(dir, List.of(NAMES));
        Table<String, String> names = store.table(NAMES);
        names.put("k", "v");
        store.close();
        StoreException e = assertThrows(StoreException.class, () -> names.get("k"));
        assertTrue(e.getMessage().startsWith("get names/k"), e.getMessage());
    }

    /** A process that crashes (halts, no close, no flush) right after a synced write loses nothing. */
    @Test
    void shouldKeepSyncedWritesWhenTheProcessDies() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CrashingWriter.class.getName(), dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(CrashingWriter.EXIT_CODE, p.exitValue(), out);
        try (StateStore store = StateStore.open(dir, List.of(NAMES))) {
            assertEquals("RUNNING", store.table(NAMES).get("run1").orElseThrow());
            assertEquals("SUCCEEDED", store.table(NAMES).get("run2").orElseThrow());
        }
    }

    @Test
    void shouldFindTheEndOfAPrefix() {
        assertEquals(List.of((byte) 'a', (byte) 'c'), boxed(Keys.prefixEnd(new byte[]{'a', 'b'}).orElseThrow()));
        assertEquals(List.of((byte) 'b'), boxed(Keys.prefixEnd(new byte[]{'a', (byte) 0xFF}).orElseThrow()));
        assertFalse(Keys.prefixEnd(new byte[]{(byte) 0xFF}).isPresent());
    }

    /** Writes two synced statuses and halts without closing anything. */
    public static final class CrashingWriter {
        static final int EXIT_CODE = 77;

        public static void main(String[] args) {
            StateStore store = StateStore.open(Path.of(args[0]), List.of(NAMES));
            store.table(NAMES).put("run1", "RUNNING");
            store.write(b -> store.table(NAMES).putInBatch(b, "run2", "SUCCEEDED"));
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }

    private static List<Long> times(CloseableIterator<Entry<byte[], Empty>> it) {
        List<Long> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(e -> {
                Keys.Reader r = Keys.reader(e.key());
                r.str();
                out.add(r.u64());
            });
        }
        return out;
    }

    private static List<Byte> boxed(byte[] b) {
        List<Byte> out = new ArrayList<>();
        for (byte x : b) {
            out.add(x);
        }
        return out;
    }
}
