package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's CPU and memory samples outlive a daemon restart and go with the run's deletion. */
class RunSamplesPersistenceTest {
    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    @Test
    void shouldShowTheSamplesTakenBeforeARestart() throws Exception {
        String runId;
        JsonNode before;
        try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            runId = sampledThenEnded(first, "charted");
            before = samples(first, runId);
        }
        try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            assertEquals(before, samples(second, runId));
        }
    }

    @Test
    void shouldDeleteTheSamplesWithTheRun() throws Exception {
        try (TestDaemon daemon = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1))) {
            String runId = sampledThenEnded(daemon, "deleted");
            String other = sampledThenEnded(daemon, "kept");

            daemon.api().delete("/v2/actor-runs/" + runId).expect(204);

            var table = daemon.daemon().store().table(RunTables.RUN_SAMPLES);
            assertEquals(0, table.count(RunSampleKey.ofRun(runId)));
            assertTrue(table.count(RunSampleKey.ofRun(other)) >= 2, "another run's samples stay");
        }
    }

    /** A run that was sampled at least twice, then succeeded. */
    private String sampledThenEnded(TestDaemon daemon, String name) throws Exception {
        String actor = daemon.actor(name, "sleep", "60");
        String runId = daemon.api().post("/v2/acts/" + actor + "/runs").expect(201).data().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (samples(daemon, runId).size() < 2) {
            assertTrue(System.nanoTime() < deadline, "run " + runId + " was not sampled twice");
            Thread.sleep(50);
        }
        runtime.last().exit(ExitStatus.exited(0));
        assertEquals("SUCCEEDED", daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200)
                .data().get("status").asText());
        return runId;
    }

    private static JsonNode samples(TestDaemon daemon, String runId) {
        return daemon.api().get("/v2/actord/runs/" + runId + "/samples").expect(200).data().get("items");
    }
}
