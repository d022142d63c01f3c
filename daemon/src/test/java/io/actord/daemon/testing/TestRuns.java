package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime.FakeContainer;

import java.time.Duration;

/** Waiting for a run or a fake container through the API, for the tests that drive runs over HTTP. */
public final class TestRuns {
    private TestRuns() {
    }

    /** The run as the API shows it once its status is {@code status} (Apify's wire name); fails after 10 s. */
    public static JsonNode awaitStatus(TestDaemon.Api api, String runId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode run;
        do {
            run = api.get("/v2/actor-runs/" + runId).expect(200).data();
            if (run.get("status").asText().equals(status)) {
                return run;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " never reached " + status + ": " + run);
    }

    /**
     * Returns once {@code d} supervises no run; fails after 10 s. A supervisor leaves once its container is released
     * and its queue is empty, which can be a moment after the container was closed.
     */
    public static void awaitNoActiveRuns(TestDaemon d) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (d.daemon().runs().activeCount() > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the daemon still supervises " + d.daemon().runs().activeRuns());
            }
            Thread.sleep(10);
        }
    }

    /** Returns once the daemon has closed the container (released its run's resources); fails after 10 s. */
    public static void awaitReleased(FakeContainer c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.closed()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + c.id() + " was never released");
            }
            Thread.sleep(10);
        }
    }
}
