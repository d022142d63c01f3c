package io.actord.daemon.run;

import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A full stop's run policies, on the in-process fake runtime. */
class RunDrainTest {
    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon
    private TestDaemon daemon;
    private TestDaemon.Api api;
    private RunService runs;
    private final List<String> progress = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        api = daemon.api();
        runs = daemon.daemon().runs();
    }

    private String startRun(String actor) throws Exception {
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (runs.get(id).status() != RunStatus.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(RunStatus.RUNNING, runs.get(id).status());
        return id;
    }

    @Test
    void shouldLetRunsFinishWhenDraining() throws Exception {
        String id = startRun(daemon.actor("short", "sleep", "1"));

        List<String> left = new RunDrain(runs, Duration.ofSeconds(1)).stop(StopPolicy.DRAIN, Duration.ofSeconds(20),
                progress::add);

        assertEquals(List.of(), left);
        assertEquals(RunStatus.SUCCEEDED, runs.get(id).status());
        assertTrue(progress.get(0).startsWith("draining 1 run"), progress.toString());
        assertEquals(List.of(), runtime.last().signals(), "a drained run is never signalled");
    }

    @Test
    void shouldAbortWhatTheDrainTimeoutLeaves() throws Exception {
        String id = startRun(daemon.actor("long", "trap-term", "60"));

        List<String> left = new RunDrain(runs, Duration.ofSeconds(1)).stop(StopPolicy.DRAIN, Duration.ofMillis(500),
                progress::add);

        assertEquals(List.of(), left);
        assertEquals(RunStatus.ABORTED, runs.get(id).status());
        assertEquals(List.of(Signal.SIGTERM), runtime.last().signals(), "aborted gracefully");
    }

    @Test
    void shouldAbortRunsGracefullyAndRefuseNewOnes() throws Exception {
        String actor = daemon.actor("stubborn", "ignore-term", "60");
        String id = startRun(actor);

        List<String> left = new RunDrain(runs, Duration.ofSeconds(1)).stop(StopPolicy.ABORT, Duration.ofSeconds(20),
                progress::add);

        assertEquals(List.of(), left);
        assertEquals(RunStatus.ABORTED, runs.get(id).status());
        // ABORTED is stored before its KILL effect runs, so the kill may still be on its way: wait for the exit it causes
        runtime.last().onExit().get(5, TimeUnit.SECONDS);
        assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), runtime.last().signals());
        assertTrue(progress.stream().anyMatch(p -> p.startsWith("aborting 1 run")), progress.toString());
        TestDaemon.Response refused = api.post("/v2/acts/" + actor + "/runs", "").expect(503);
        assertEquals("service-unavailable", refused.errorType());
        api.post("/v2/actor-runs/" + id + "/resurrect").expect(503);
    }

    @Test
    void shouldReturnAtOnceWithoutActiveRuns() {
        assertEquals(List.of(), new RunDrain(runs, Duration.ofSeconds(1)).stop(StopPolicy.DRAIN, Duration.ofMinutes(5),
                progress::add));
        assertFalse(progress.iterator().hasNext());
    }
}
