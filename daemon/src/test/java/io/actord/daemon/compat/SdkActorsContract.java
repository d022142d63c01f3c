package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.WebhookReceiver;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What actors written with the published apify SDK and crawlee do against actord, whatever runs them:
 * the scripts in src/test/node, unmodified, as runs of a real daemon, and their results read back from
 * outside with the published apify-client (verify.mjs). Subclasses say how an actor runs.
 */
@ApifyCompat
abstract class SdkActorsContract {
    /** Apify's graceful-abort grace period. */
    static final Duration GRACE = Duration.ofSeconds(30);

    TestDaemon daemon;

    /** Webhooks may reach the test's receiver on host loopback (the daemon sends them, from the host). */
    static final List<String> WEBHOOKS_TO_LOOPBACK = List.of("--egress-allow", "127.0.0.0/8");

    /** Starts {@link #daemon} with the subclass's runtime, the given grace period and more daemon flags. */
    abstract TestDaemon startDaemon(Duration grace, List<String> flags) throws Exception;

    /** Creates an actor whose build runs the node script {@code script} (a file of src/test/node). */
    abstract String actor(String name, String script) throws Exception;

    /** The signals the daemon sent the run's containers, in order ({@code Container.kill()} as SIGKILL). */
    abstract List<Signal> signalsOf(String runId);

    /** Memory for the runs (MB): it also sets their CPU share (memory / 4096 cores). */
    int memoryMbytes() {
        return 1024;
    }

    /** What the subclass cleans up once the daemon (and with it the runtime) is closed. */
    void afterDaemon() {
    }

    @AfterEach
    final void stopDaemon() {
        if (daemon != null) {
            daemon.close();
        }
        afterDaemon();
    }

    @Test
    void shouldRunAnSdkActorThatCallsAnother() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String parent = actor("sdk-parent", "sdk-actor.mjs");
        actor("sdk-child", "sdk-child.mjs");
        String runId = startRun(parent, "{\"greeting\":\"hello from the test\",\"child\":\"sdk-child\",\"childMemory\":"
                + memoryMbytes() + "}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(3)), log(runId));
        verify("sdk", runId);
    }

    @Test
    void shouldMetamorphIntoAnotherActorThatFinishesTheRun() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String first = actor("sdk-metamorph", "metamorph-actor.mjs");
        actor("sdk-child", "sdk-child.mjs");
        String runId = startRun(first, "{\"greeting\":\"hello from the test\",\"target\":\"sdk-child\"}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(3)), log(runId));
        verify("metamorph", runId);
    }

    @Test
    void shouldCrawlASiteThroughTheDefaultRequestQueue() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String runId = startRun(actor("crawler", "crawler-actor.mjs"), "{}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(3)), log(runId));
        verify("crawl", runId);
    }

    @Test
    void shouldAbortGracefullyWithTheActorSavingItsState() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String runId = startRun(actor("aborted", "abort-actor.mjs"), "{}");
        awaitListening(runId);
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        assertEquals("ABORTED", finish(runId, Duration.ofSeconds(60)), log(runId));
        JsonNode run = daemon.api().get("/v2/actor-runs/" + runId).data();
        assertEquals(0, run.get("exitCode").asInt(), "the actor exited by itself: " + run);
        assertEquals(List.of(), signalsOf(runId), "no signal: the platform event alone ended it");
        verify("abort", runId);
    }

    @Test
    void shouldKillANonCooperatingActor30SecondsAfterAGracefulAbort() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String runId = startRun(actor("stubborn", "abort-actor.mjs"), "{\"stubborn\":true}");
        awaitListening(runId);
        Instant asked = Instant.now();
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        assertEquals("ABORTING", daemon.api().get("/v2/actor-runs/" + runId).data().get("status").asText());
        assertEquals("ABORTED", finish(runId, Duration.ofSeconds(60)), log(runId));
        long waited = Duration.between(asked, Instant.now()).toMillis();
        System.out.println("stubborn actor killed " + waited + " ms after the graceful abort request");
        assertTrue(waited >= 29_000, "killed after the 30 s grace, not before: " + waited + " ms");
        assertEquals(List.of(Signal.SIGKILL), signalsOf(runId), "events, no SIGTERM, then the kill");
        verify("stubborn", runId);
    }

    @Test
    void shouldFireTheWebhookAnActorAddedOnItsRunsEnd() throws Exception {
        daemon = startDaemon(GRACE, WEBHOOKS_TO_LOOPBACK);
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            String runId = startRun(actor("hooking", "webhook-actor.mjs"), "{\"hookUrl\":\"" + receiver.url("/ended")
                    + "\"}");
            assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(2)), log(runId));
            WebhookReceiver.Received hook = receiver.next();
            assertEquals("/ended", hook.path());
            assertEquals(runId, hook.body().get("runId").asText());
            assertEquals("SUCCEEDED", hook.body().get("status").asText());
            assertEquals("ACTOR.RUN.SUCCEEDED", hook.body().get("eventType").asText());
            assertNull(receiver.poll(Duration.ofSeconds(2)), "one webhook, added twice with one idempotency key");
            verify("webhook", runId);
        }
    }

    @Test
    void shouldDecryptSecretInputInsideTheRunAndSeeTheDefaults() throws Exception {
        daemon = startDaemon(GRACE, List.of());
        String actor = withInputSchema(actor("sdk-secret", "secret-input-actor.mjs"), """
                {"title": "in", "type": "object", "schemaVersion": 1, "properties": {
                  "user": {"title": "User", "type": "string", "editor": "textfield", "description": "d"},
                  "password": {"title": "P", "type": "string", "editor": "textfield", "description": "d",
                               "isSecret": true},
                  "maxPages": {"title": "Max", "type": "integer", "description": "d", "default": 7}
                }, "required": ["password"]}""");
        String runId = startRun(actor, "{\"user\":\"ann\",\"password\":\"hunter2-secret\"}");
        assertEquals("SUCCEEDED", finish(runId, Duration.ofMinutes(3)), log(runId));
        String records = "/v2/actor-runs/" + runId + "/key-value-store/records/";
        JsonNode seen = daemon.api().get(records + "OUTPUT").expect(200).json();
        assertEquals("hunter2-secret", seen.get("password").asText(), "decrypted by the SDK: " + seen);
        assertEquals("ann", seen.get("user").asText());
        assertEquals(7, seen.get("maxPages").asInt(), "the default, filled by the daemon: " + seen);
        JsonNode raw = daemon.api().get(records + "RAW_INPUT").expect(200).json();
        assertTrue(raw.get("password").asText().startsWith("ENCRYPTED_VALUE:"), "INPUT as stored: " + raw);
    }

    /** A new build of {@code actor} like its default one, with the input schema {@code schema}. */
    String withInputSchema(String actor, String schema) throws Exception {
        JsonNode build = daemon.api().get("/v2/acts/" + actor + "/builds/default").expect(200).data();
        String source = build.get("source").asText();
        assertTrue(source.startsWith("rootfs "), source);
        List<String> cmd = new ArrayList<>();
        build.get("command").forEach(c -> cmd.add(c.asText()));
        daemon.admin("/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(Map.of("rootfs",
                source.substring("rootfs ".length()), "cmd", cmd, "inputSchema", Json.MAPPER.readTree(schema))))
                .expect(201);
        return actor;
    }

    String startRun(String actor, String input) {
        return daemon.api().post("/v2/acts/" + actor + "/runs?memory=" + memoryMbytes(), input).expect(201).data()
                .get("id").asText();
    }

    String finish(String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run;
        do {
            run = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
        } while (run.get("finishedAt").isNull() && System.nanoTime() < deadline);
        return run.get("status").asText();
    }

    /**
     * Whether the run's SDK has its events WebSocket open: on the daemon that runs it, which in a cluster is not the
     * one the test talks to.
     */
    boolean eventsListening(String runId) {
        return daemon.daemon().endpoints().events().listening(runId);
    }

    /** Waits until the SDK has connected its events WebSocket and the actor reported it started. */
    void awaitListening(String runId) throws InterruptedException {
        for (int i = 0; i < 600 && !eventsListening(runId); i++) {
            Thread.sleep(100);
        }
        assertTrue(eventsListening(runId), "the SDK opened the events WebSocket");
        for (int i = 0; i < 600 && daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/STARTED")
                .status() != 200; i++) {
            Thread.sleep(100);
        }
    }

    String log(String runId) {
        return daemon.api().get("/v2/actor-runs/" + runId + "/log").text();
    }

    void verify(String mode, String runId) {
        NodeScripts.Result r = NodeScripts.node("verify.mjs", Map.of("ACTORD_URL",
                daemon.api().base().toString().replaceAll("/$", ""), "ACTORD_TOKEN", daemon.token()),
                Duration.ofMinutes(1), mode, runId);
        System.out.println(r.output());
        String log = log(runId);
        log.lines().filter(l -> l.contains("WARN") || l.contains("ERROR")).forEach(l -> System.out.println("run log: " + l));
        assertEquals(0, r.exitCode(), r.output() + "\n--- run log ---\n" + log);
    }
}
