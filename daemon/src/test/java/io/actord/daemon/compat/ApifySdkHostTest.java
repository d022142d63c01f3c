package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HostProcessRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published apify SDK and crawlee, unmodified, as actors of a real daemon — run as host processes
 * ({@link HostProcessRuntime}) so this needs no root: the in-run endpoint, the run's token, the events
 * WebSocket, Actor.call() into a second run, graceful abort. The same scripts run in real isolated
 * containers in ApifySdkIT. Results are read back from outside with the published apify-client.
 */
class ApifySdkHostTest {
    @TempDir
    Path dir;
    TestDaemon daemon;
    HostProcessRuntime runtime;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void shouldRunAnSdkActorThatCallsAnother() throws Exception {
        start(Duration.ofSeconds(30));
        String parent = daemon.actor("sdk-parent", "node", script("sdk-actor.mjs"));
        daemon.actor("sdk-child", "node", script("sdk-child.mjs"));
        String runId = startRun(parent, "{\"greeting\":\"hello from the test\",\"child\":\"sdk-child\"}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(2)), log(runId));
        verify("sdk", runId);
    }

    @Test
    void shouldCrawlASiteThroughTheDefaultRequestQueue() throws Exception {
        start(Duration.ofSeconds(30));
        String crawler = daemon.actor("crawler", "node", script("crawler-actor.mjs"));
        String runId = startRun(crawler, "{}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(2)), log(runId));
        verify("crawl", runId);
    }

    @Test
    void shouldAbortGracefullyWithTheActorSavingItsState() throws Exception {
        start(Duration.ofSeconds(30));
        String actor = daemon.actor("aborted", "node", script("abort-actor.mjs"));
        String runId = startRun(actor, "{}");
        awaitListening(runId);
        Instant asked = Instant.now();
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        assertEquals("ABORTED", finish(runId, Duration.ofSeconds(40)), log(runId));
        assertTrue(Duration.between(asked, Instant.now()).toSeconds() < 20, "the actor exited by itself");
        verify("abort", runId);
    }

    @Test
    void shouldKillANonCooperatingActor30SecondsAfterAGracefulAbort() throws Exception {
        start(Duration.ofSeconds(30));
        String actor = daemon.actor("stubborn", "env", "STUBBORN=1", "node", script("abort-actor.mjs"));
        String runId = startRun(actor, "{}");
        awaitListening(runId);
        Instant asked = Instant.now();
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        assertEquals("ABORTING", daemon.api().get("/v2/actor-runs/" + runId).data().get("status").asText());
        assertEquals("ABORTED", finish(runId, Duration.ofSeconds(60)), log(runId));
        long waited = Duration.between(asked, Instant.now()).toMillis();
        System.out.println("stubborn actor killed " + waited + " ms after the graceful abort request");
        assertTrue(waited >= 29_000 && waited < 40_000, "killed after the 30 s grace, not before: " + waited + " ms");
        HostProcessRuntime.HostContainer c = runtime.created().get(0);
        assertEquals(java.util.List.of(io.actord.runtime.Signal.SIGKILL), c.signals(), "events, no SIGTERM, then the kill");
        verify("stubborn", runId);
    }

    private void start(Duration grace) {
        NodeScripts.install();
        runtime = new HostProcessRuntime(NodeScripts.WORK);
        daemon = TestDaemon.start(dir, runtime, grace);
    }

    private static String script(String name) {
        return NodeScripts.WORK.resolve(name).toString();
    }

    private String startRun(String actor, String input) {
        return daemon.api().post("/v2/acts/" + actor + "/runs", input).expect(201).data().get("id").asText();
    }

    private String finish(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run;
        do {
            run = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
        } while (!terminal(run.get("status").asText()) && System.nanoTime() < deadline);
        return run.get("status").asText();
    }

    private void awaitListening(String runId) throws InterruptedException {
        for (int i = 0; i < 300 && !daemon.daemon().endpoints().events().listening(runId); i++) {
            Thread.sleep(100);
        }
        assertTrue(daemon.daemon().endpoints().events().listening(runId), "the SDK opened the events WebSocket");
        for (int i = 0; i < 300 && daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/STARTED")
                .status() != 200; i++) {
            Thread.sleep(100);
        }
    }

    private String log(String runId) {
        return daemon.api().get("/v2/actor-runs/" + runId + "/log").text();
    }

    private void verify(String mode, String runId) {
        NodeScripts.Result r = NodeScripts.node("verify.mjs", Map.of("ACTORD_URL",
                daemon.api().base().toString().replaceAll("/$", "")), Duration.ofMinutes(1), mode, runId);
        System.out.println(r.output());
        String log = log(runId);
        log.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).forEach(l -> System.out.println("run log: " + l));
        assertEquals(0, r.exitCode(), r.output() + "\n--- run log ---\n" + log);
    }

    private static boolean terminal(String status) {
        return status.equals("SUCCEEDED") || status.equals("FAILED") || status.equals("ABORTED")
                || status.equals("TIMED-OUT");
    }
}
