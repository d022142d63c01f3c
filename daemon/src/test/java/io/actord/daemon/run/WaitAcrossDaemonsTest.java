package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code waitForFinish} on one daemon for a run of another on the same PostgreSQL database (#26): the run's end,
 * stored by its own daemon, wakes the waiting request through the database's notification, not the request's
 * timeout.
 */
class WaitAcrossDaemonsTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** The longest wait Apify grants; the answer must come long before it. */
    private static final int WAIT_SECS = 60;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    @Test
    void shouldWakeAWaitOnTheOtherDaemonWhenTheRunEnds() throws Exception {
        List<String> state = List.of("--state", PG.database("wait_across"));
        FakeRuntime runtimeOne = new FakeRuntime();
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne, GRACE, state);
             TestDaemon two = TestDaemon.start(dirTwo, new FakeRuntime(), GRACE, state)) {
            String actor = one.actor("waited", "sleep", "600");
            String runId = one.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            TestRuns.awaitStatus(one.api(), runId, "RUNNING");

            CompletableFuture<TestDaemon.Response> waited = CompletableFuture.supplyAsync(() ->
                    two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=" + WAIT_SECS));
            awaitWaiting(two, runId);
            assertFalse(waited.isDone(), "two waits for one's run");
            runtimeOne.last().exit(ExitStatus.exited(0));

            // Woken by the end, the answer comes in milliseconds; by the wait's own timer it would take 60 s.
            JsonNode run = waited.get(WAIT_SECS / 2, TimeUnit.SECONDS).expect(200).data();
            assertEquals("SUCCEEDED", run.get("status").asText(), run.toString());
            assertTrue(Instant.parse(run.get("finishedAt").asText()).isAfter(Instant.parse(run.get("startedAt")
                    .asText())), run.toString());
            assertEquals(0, two.daemon().runs().waitingForEnd(runId));
            assertEquals("SUCCEEDED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=" + WAIT_SECS)
                    .expect(200).data().get("status").asText(), "an ended run is answered at once");
        }
    }

    /** Returns once daemon {@code d} holds a waiting request for the run; fails after a minute. */
    private static void awaitWaiting(TestDaemon d, String runId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (d.daemon().runs().waitingForEnd(runId) == 0) {
            assertTrue(System.nanoTime() < deadline, "no request waits for run " + runId + " on the daemon");
            Thread.sleep(10);
        }
    }
}
