package io.actord.daemon.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store contract on RocksDB in a temporary directory, plus what only a local database can show. */
class RocksStateStoreTest extends StateStoreContract {
    @TempDir
    Path dir;

    @Override
    protected StateStore open(List<TableDef<?, ?>> tables) {
        return RocksStateStore.open(dir, tables);
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
        try (StateStore store = open(List.of(NAMES))) {
            assertEquals("RUNNING", store.table(NAMES).get("run1").orElseThrow());
            assertEquals("SUCCEEDED", store.table(NAMES).get("run2").orElseThrow());
        }
    }

    /** Writes two synced statuses and halts without closing anything. */
    public static final class CrashingWriter {
        static final int EXIT_CODE = 77;

        public static void main(String[] args) {
            StateStore store = RocksStateStore.open(Path.of(args[0]), List.of(NAMES));
            store.table(NAMES).put("run1", "RUNNING");
            store.write(b -> store.table(NAMES).putInBatch(b, "run2", "SUCCEEDED"));
            Runtime.getRuntime().halt(EXIT_CODE);
        }
    }
}
