package io.actord.daemon.state;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A checkpoint holds the writes made before it and none after; opened read-only it serves reads and refuses writes. */
class RocksCheckpointTest {
    private static final TableDef<String, String> NAMES = new TableDef<>("names", Codecs.STRING, Codecs.STRING);

    @TempDir
    Path dir;

    @Test
    void shouldHoldTheWritesBeforeItAndNoneAfter() {
        Path copy = dir.resolve("checkpoint");
        try (StateStore store = RocksStateStore.open(dir.resolve("db"), List.of(NAMES))) {
            store.table(NAMES).put("before", "1");
            store.writeUnsynced(b -> store.table(NAMES).putInBatch(b, "unsynced", "2"));
            store.checkpoint(copy);
            store.table(NAMES).put("after", "3");
            store.table(NAMES).delete("before");
        }
        try (StateStore read = RocksStateStore.openReadOnly(copy)) {
            Table<String, String> names = read.table(NAMES);
            assertEquals("1", names.get("before").orElseThrow());
            assertEquals("2", names.get("unsynced").orElseThrow());
            assertTrue(names.get("after").isEmpty());
            assertEquals(StateStore.SCHEMA_VERSION, read.schemaVersion());
            assertThrows(StoreException.class, () -> names.put("x", "y"));
        }
        try (StateStore reopened = RocksStateStore.open(copy, List.of(NAMES))) {
            assertEquals(2, reopened.table(NAMES).count(), "a checkpoint opens as a database of its own");
        }
    }

    @Test
    void shouldRefuseATargetThatExistsAndAReadOnlyOpenOfNothing() throws Exception {
        Path existing = Files.createDirectories(dir.resolve("existing"));
        try (StateStore store = RocksStateStore.open(dir.resolve("db"), List.of(NAMES))) {
            StoreException e = assertThrows(StoreException.class, () -> store.checkpoint(existing));
            assertTrue(e.getMessage().contains("checkpoint the state database into " + existing), e.getMessage());
        }
        assertThrows(StoreException.class, () -> RocksStateStore.openReadOnly(dir.resolve("none")));
    }
}
