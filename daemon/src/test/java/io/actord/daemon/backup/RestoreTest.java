package io.actord.daemon.backup;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.DaemonBackup;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.FileTrees;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code actord --restore DIR}: a state directory restored from a backup serves what the backup held; the runs that
 * were running end FAILED without the restored daemon touching their containers (the original daemon's); and the
 * restores it refuses.
 */
class RestoreTest {
    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    /** The daemon's backup copies a RocksDB state; on PostgreSQL it answers 400 not-implemented (README, #25). */
    @BeforeEach
    void rocksDbOnly() {
        assumeFalse(TestDaemon.onPostgres(), "actorctl daemon backup copies a RocksDB state; the state is in PostgreSQL");
    }

    @Test
    void shouldServeTheBackupsStateAndFailTheRunsThatWereRunning() throws Exception {
        Path backup = dir.resolve("backup");
        String actor;
        String finished;
        String running;
        try (TestDaemon first = TestDaemon.start(dir.resolve("first"), runtime.surviving(), Duration.ofSeconds(1))) {
            actor = first.actor("hello", "echo", "hello from the run");
            finished = first.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10").expect(201).data()
                    .get("id").asText();
            String sleeper = first.actor("sleeper", "sleep", "60");
            running = first.api().post("/v2/acts/" + sleeper + "/runs").expect(201).data().get("id").asText();
            runtime.awaitCreated(2, Duration.ofSeconds(5));
            first.admin("/v2/actord/backup", "{\"directory\":\"" + backup + "\"}").expect(201);

            Restored r = restore("--restore", backup.toString(), "--state-dir", dir.resolve("second/state").toString());
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().contains("restored " + dir.resolve("second/state")), r.toString());
            try (TestDaemon second = TestDaemon.start(dir.resolve("second"), runtime.surviving(),
                    Duration.ofSeconds(1))) {
                second.api().get("/v2/acts/" + actor).expect(200);
                JsonNode run = second.api().get("/v2/actor-runs/" + finished).expect(200).data();
                assertEquals("SUCCEEDED", run.get("status").asText());
                assertTrue(second.api().get("/v2/logs/" + finished).expect(200).text().contains("hello from the run"));
                JsonNode lost = second.api().get("/v2/actor-runs/" + running + "?waitForFinish=10").expect(200).data();
                assertEquals("FAILED", lost.get("status").asText());
                assertTrue(lost.get("statusMessage").asText().contains("another state directory"), lost.toString());
            }
            FakeRuntime.FakeContainer original = runtime.last();
            assertTrue(original.signals().isEmpty() && !original.closed(), "the first daemon's container lives on");
            assertFalse(runtime.cleanedUp().contains(original.id()), runtime.cleanedUp().toString());
            assertEquals("RUNNING", first.api().get("/v2/actor-runs/" + running).expect(200).data().get("status")
                    .asText(), "the first daemon still runs it");
        }
    }

    @Test
    void shouldCopyWhatItCannotLinkAcrossFileSystems() throws Exception {
        Path shm = Path.of("/dev/shm");
        boolean other = Files.isDirectory(shm) && !Files.getFileStore(shm).equals(Files.getFileStore(dir));
        if (!other) {
            System.out.println("SKIPPED RestoreTest.shouldCopyWhatItCannotLinkAcrossFileSystems: no /dev/shm on another"
                    + " file system than " + dir);
        }
        assumeTrue(other, "/dev/shm is on another file system");
        Path backup = Files.createTempDirectory(shm, "actord-backup-test-").resolve("backup");
        try {
            String actor;
            String finished;
            try (TestDaemon first = TestDaemon.start(dir.resolve("first"), runtime, Duration.ofSeconds(1))) {
                actor = first.actor("hello", "echo", "copied, not linked");
                finished = first.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10").expect(201).data()
                        .get("id").asText();
                JsonNode m = first.admin("/v2/actord/backup", "{\"directory\":\"" + backup + "\"}").expect(201).data();
                assertFalse(m.get("layersLinked").asBoolean(), m.toString());
            }
            Restored r = restore("--restore", backup.toString(), "--state-dir", dir.resolve("second/state").toString());
            assertEquals(0, r.status(), r.toString());
            try (TestDaemon second = TestDaemon.start(dir.resolve("second"), runtime, Duration.ofSeconds(1))) {
                assertEquals("SUCCEEDED", second.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10").expect(201)
                        .data().get("status").asText(), "the copied layers make a rootfs");
                assertTrue(second.api().get("/v2/logs/" + finished).expect(200).text().contains("copied, not linked"));
            }
        } finally {
            FileTrees.delete(backup.getParent());
        }
    }

    @Test
    void shouldRefuseAStateDirectoryThatHoldsState() throws Exception {
        Path backup = dir.resolve("backup");
        try (TestDaemon first = TestDaemon.start(dir.resolve("first"), runtime, Duration.ofSeconds(1))) {
            first.admin("/v2/actord/backup", "{\"directory\":\"" + backup + "\"}").expect(201);
        }
        Restored r = restore("--restore", backup.toString(), "--state-dir", dir.resolve("first/state").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("already holds state"), r.toString());
    }

    @Test
    void shouldRefuseWhatIsNoCompleteBackup() throws Exception {
        Path notBackup = Files.createDirectories(dir.resolve("nothing"));
        Restored r = restore("--restore", notBackup.toString(), "--state-dir", dir.resolve("s").toString());
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("has no manifest.json"), r.toString());
        Files.writeString(notBackup.resolve("manifest.json"), "{\"format\":\"actord-backup\",\"formatVersion\":9,"
                + "\"stateSchema\":1,\"daemonVersion\":\"9.0\"}");
        Restored newer = restore("--restore", notBackup.toString(), "--state-dir", dir.resolve("s").toString());
        assertEquals(1, newer.status(), newer.toString());
        assertTrue(newer.err().contains("newer actord"), newer.toString());
        assertFalse(Files.exists(dir.resolve("s/rocksdb")));
    }

    @Test
    void shouldAnswerUsageErrorsWithStatus2AndNotRestoreWithoutTheFlag() {
        Restored r = restore("--restore", dir.toString(), "--no-such-flag", "x");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("unknown setting 'no-such-flag'"), r.toString());
        assertTrue(DaemonBackup.restoreIfAsked(new String[] {"--state-dir", dir.toString()}, System.out, System.err)
                .isEmpty());
    }

    private record Restored(int status, String out, String err) {
    }

    private static Restored restore(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        OptionalInt status = DaemonBackup.restoreIfAsked(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Restored(status.orElseThrow(), out.toString(StandardCharsets.UTF_8),
                err.toString(StandardCharsets.UTF_8));
    }
}
