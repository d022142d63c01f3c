package io.actord.daemon.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which runs a daemon settles by itself, and the host id it keeps in its state directory. */
class RunOwnerTest {
    @TempDir
    Path stateDir;

    @ParameterizedTest(name = "shared={0} run owner={1}: settles={2}")
    @CsvSource(nullValues = "legacy", value = {
            "true,  me,     true",
            "true,  other,  false",
            "true,  legacy, true",
            "false, me,     true",
            "false, other,  true",
            "false, legacy, true"})
    void shouldSettleOwnAndLegacyRunsAndOnAStoreOfItsOwnEveryRun(boolean shared, String runOwner, boolean settles) {
        assertEquals(settles, new RunOwner("me", shared).owns(runOwner));
    }

    @Test
    void shouldMakeTheHostIdOnceAndKeepItAcrossStarts() throws Exception {
        RunOwner first = RunOwner.load(stateDir, true);
        RunOwner again = RunOwner.load(stateDir, true);
        assertEquals(first.hostId(), again.hostId());
        assertEquals(first.hostId(), Files.readString(stateDir.resolve(RunOwner.FILE)).strip());
        assertFalse(Files.exists(stateDir.resolve(RunOwner.FILE + ".partial")));
        assertTrue(again.owns(first.hostId()));
    }

    @Test
    void shouldGiveEachStateDirectoryItsOwnHostId(@TempDir Path otherStateDir) {
        assertFalse(RunOwner.load(stateDir, true).hostId().equals(RunOwner.load(otherStateDir, true).hostId()));
    }

    @Test
    void shouldTakeTheHostIdAnOperatorWrote() throws Exception {
        Files.writeString(stateDir.resolve(RunOwner.FILE), "worker-3.example\n");
        assertEquals("worker-3.example", RunOwner.load(stateDir, true).hostId());
    }

    @Test
    void shouldRefuseToStartWithAnUnreadableHostId() throws Exception {
        Files.writeString(stateDir.resolve(RunOwner.FILE), "worker 3/\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> RunOwner.load(stateDir, true));
        assertTrue(e.getMessage().contains(stateDir.resolve(RunOwner.FILE).toString()), e.getMessage());
        assertEquals("worker 3/\n", Files.readString(stateDir.resolve(RunOwner.FILE)), "the file is left as it was");
    }

    @Test
    void shouldKeepTheHostIdGivenAtTheFirstStartAndRefuseAnotherLater() throws Exception {
        assertEquals("host1", RunOwner.load(stateDir, true, Optional.of("host1")).hostId());
        assertEquals("host1", Files.readString(stateDir.resolve(RunOwner.FILE)).strip());
        assertEquals("host1", RunOwner.load(stateDir, true).hostId(), "kept without the flag too");
        assertEquals("host1", RunOwner.load(stateDir, true, Optional.of("host1")).hostId());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RunOwner.load(stateDir, true, Optional.of("host2")));
        assertTrue(e.getMessage().startsWith("the host id is 'host1' ("), e.getMessage());
        assertTrue(e.getMessage().endsWith("give --host-id host1 or none"), e.getMessage());
        assertEquals("host1\n", Files.readString(stateDir.resolve(RunOwner.FILE)), "the file is left as it was");
    }
}
