package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A restarted daemon settles the runs the previous one left active (the privileged RecoveryIT does the
 * same with a real {@code kill -9}).
 */
class RecoveryTest {
    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    @Test
    void shouldReattachToALivingContainerAndFinishTheRun() throws Exception {
        String runId;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1)).keepRunsOnClose()) {
            String actor = first.actor("long", "sleep", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            runtime.awaitCreated(1, Duration.ofSeconds(5));
            awaitStatus(first, runId, "RUNNING");
        }
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            assertEquals("RUNNING", second.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status").asText());
            runtime.last().write("after the restart\n");
            runtime.last().exit(ExitStatus.exited(0));
            JsonNode done = second.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
            assertEquals("SUCCEEDED", done.get("status").asText());
            String log = second.api().get("/v2/logs/" + runId).expect(200).text();
            assertTrue(log.contains("re-attached"), log);
            assertTrue(log.contains(" after the restart"), log);
        }
    }

    @Test
    void shouldFinishARunWhoseContainerEndedWhileTheDaemonWasDown() throws Exception {
        String runId;
        String containerId;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1)).keepRunsOnClose()) {
            String actor = first.actor("gone", "sleep", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(first, runId, "RUNNING");
            containerId = runtime.last().id();
        }
        runtime.recordExit(containerId, ExitStatus.exited(7));
        runtime.last().exit(ExitStatus.exited(7));
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            JsonNode done = second.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
            assertEquals("FAILED", done.get("status").asText());
            assertEquals(7, done.get("exitCode").asInt());
            assertTrue(runtime.cleanedUp().contains(containerId), runtime.cleanedUp().toString());
        }
    }

    @Test
    void shouldKeepTheAbortStatusWhenTheContainerEndedDuringAGracefulAbort() throws Exception {
        String runId;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(30)).keepRunsOnClose()) {
            String actor = first.actor("stubborn", "ignore-term", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(first, runId, "RUNNING");
            first.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        }
        runtime.last().exit(ExitStatus.exited(0));
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(30))) {
            JsonNode done = second.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
            assertEquals("ABORTED", done.get("status").asText());
        }
    }

    @Test
    void shouldResumeTheGraceTimerOfAnAbortingRun() throws Exception {
        String runId;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(2)).keepRunsOnClose()) {
            String actor = first.actor("stubborn", "ignore-term", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(first, runId, "RUNNING");
            first.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        }
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(2))) {
            JsonNode done = second.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
            assertEquals("ABORTED", done.get("status").asText());
        }
    }

    @Test
    void shouldFailARunWhoseContainerVanishedWithoutAStatus() throws Exception {
        String runId;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1)).keepRunsOnClose()) {
            String actor = first.actor("vanish", "sleep", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(first, runId, "RUNNING");
        }
        runtime.last().exit(ExitStatus.exited(0));
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            JsonNode done = second.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
            assertEquals("FAILED", done.get("status").asText());
            assertTrue(done.get("statusMessage").asText().contains("left no exit status"), done.toString());
        }
    }

    @Test
    void shouldReattachWhenTheStateDirectoryIsNamedThroughALinkAtOneStartOnly() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Files.createDirectories(real.resolve("state/containers"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        String runId;
        try (TestDaemon first = TestDaemon.start(link, runtime.surviving(), Duration.ofSeconds(1)).keepRunsOnClose()) {
            String actor = first.actor("linked", "sleep", "60");
            runId = first.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(first, runId, "RUNNING");
        }
        try (TestDaemon second = TestDaemon.start(real, runtime.surviving(), Duration.ofSeconds(1))) {
            assertEquals("RUNNING", second.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status")
                    .asText(), "the same containers directory, however named: the container is re-attached");
        }
    }

    private static void awaitStatus(TestDaemon d, String runId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            if (d.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status").asText().equals(status)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("run " + runId + " never reached " + status);
    }
}
