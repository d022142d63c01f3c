package io.actord.daemon.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.WebhookReceiver;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ad-hoc webhooks of runs on the fake runtime, delivered to a loopback HTTP receiver: the daemon's egress
 * policy, which guards webhooks too, allows loopback here ({@link WebhookPolicyTest} covers the refusals).
 */
class WebhooksApiTest {
    /** The daemon flags that let webhooks reach {@link WebhookReceiver} on loopback. */
    static final String[] LOOPBACK_ALLOWED = {"--egress-allow", "127.0.0.0/8", "--webhook-first-retry-ms", "1000"};

    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon(flags = {"--egress-allow", "127.0.0.0/8", "--webhook-first-retry-ms", "1000"})
    TestDaemon daemon;

    private WebhookReceiver receiver;

    @BeforeEach
    void startReceiver() throws IOException {
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String url(String path) {
        return receiver.url(path);
    }

    private String start(String actor, String webhooksJson) {
        String option = URLEncoder.encode(AdHocWebhookTest.b64(webhooksJson), StandardCharsets.UTF_8);
        return daemon.api().post("/v2/acts/" + actor + "/runs?webhooks=" + option, "{}").expect(201).data().get("id")
                .asText();
    }

    private void finish(String runId, int containers, int exitCode, String status) throws Exception {
        runtime.awaitCreated(containers, Duration.ofSeconds(10)).exit(ExitStatus.exited(exitCode));
        assertEquals(status, daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=20").expect(200).data()
                .get("status").asText());
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void shouldPostTheDefaultPayloadOnceWhenTheRunSucceeds() throws Exception {
        String actor = daemon.actor("hooked", "sleep", "120");
        String runId = start(actor, "[{\"eventTypes\":[\"ACTOR.RUN.CREATED\"],\"requestUrl\":\"" + url("/created")
                + "\"},{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"" + url("/done")
                + "\",\"headersTemplate\":\"{\\\"X-Run\\\":{{resource.id}}}\"}]");
        WebhookReceiver.Received created = receiver.next();
        assertEquals("/created", created.path());
        assertEquals("ACTOR.RUN.CREATED", created.body().get("eventType").asText());
        finish(runId, 1, 0, "SUCCEEDED");

        WebhookReceiver.Received done = receiver.next();
        assertEquals("/done", done.path());
        JsonNode body = done.body();
        assertEquals("ACTOR.RUN.SUCCEEDED", body.get("eventType").asText());
        assertEquals(runId, body.get("resource").get("id").asText());
        assertEquals("SUCCEEDED", body.get("resource").get("status").asText());
        assertEquals(0, body.get("resource").get("exitCode").asInt());
        assertTrue(body.get("resource").hasNonNull("defaultDatasetId"), body.toString());
        JsonNode asApiShowsIt = daemon.api().get("/v2/actor-runs/" + runId).expect(200).data();
        assertEquals(asApiShowsIt.get("finishedAt"), body.get("resource").get("finishedAt"));
        assertEquals(fieldNames(asApiShowsIt), fieldNames(body.get("resource")), "the run as the API shows it");
        assertEquals(actor, body.get("eventData").get("actorId").asText());
        assertEquals(runId, body.get("eventData").get("actorRunId").asText());
        assertEquals(asApiShowsIt.get("userId").asText(), body.get("userId").asText());
        assertTrue(body.get("createdAt").asText().endsWith("Z"), body.toString());
        assertTrue(done.header("Content-Type").startsWith("application/json"), done.header("Content-Type"));
        assertEquals(WebhookDispatcher.USER_AGENT, done.header("User-Agent"));
        assertNotNull(done.header("X-Apify-Webhook-Dispatch-Id"));
        assertEquals(runId, done.header("X-Run"));
        assertNull(receiver.poll(Duration.ofSeconds(2)), "exactly one request per event");
    }

    @Test
    void shouldRetryAfterAServerError() throws Exception {
        receiver.answer(500);
        String actor = daemon.actor("retried", "exit", "0");
        String runId = start(actor, "[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"" + url("/r")
                + "\",\"payloadTemplate\":\"{\\\"run\\\": {{resource.id}}, \\\"s\\\": \\\"{{eventType}}\\\"}\"}]");
        finish(runId, 1, 0, "SUCCEEDED");
        WebhookReceiver.Received failed = receiver.next();
        WebhookReceiver.Received retried = receiver.next();
        assertEquals(runId, failed.body().get("run").asText());
        assertEquals("{{eventType}}", retried.body().get("s").asText(), "strings are not interpolated by default");
        assertEquals(failed.header("X-Apify-Webhook-Dispatch-Id"), retried.header("X-Apify-Webhook-Dispatch-Id"));
        assertNull(receiver.poll(Duration.ofSeconds(3)), "no retry after the 200");
        assertEquals(0, daemon.daemon().store().table(WebhookTables.WEBHOOK_DISPATCHES).count(), "forgotten once delivered");
    }

    @Test
    void shouldTryOnceAWebhookThatDoesNotRetry() throws Exception {
        receiver.answer(500);
        String actor = daemon.actor("once", "exit", "0");
        String runId = start(actor, "[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"" + url("/once")
                + "\",\"doNotRetry\":true}]");
        finish(runId, 1, 0, "SUCCEEDED");
        assertEquals("/once", receiver.next().path());
        assertNull(receiver.poll(Duration.ofSeconds(3)), "no retry after the 500");
        assertEquals(0, daemon.daemon().store().table(WebhookTables.WEBHOOK_DISPATCHES).count(), "given up");
    }

    @Test
    void shouldNotFireASucceededWebhookForAFailedRun() throws Exception {
        String actor = daemon.actor("failing", "exit", "3");
        String runId = start(actor, "[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"" + url("/ok")
                + "\"},{\"eventTypes\":[\"ACTOR.RUN.FAILED\",\"ACTOR.RUN.ABORTED\"],\"requestUrl\":\"" + url("/bad")
                + "\"}]");
        finish(runId, 1, 3, "FAILED");
        WebhookReceiver.Received failed = receiver.next();
        assertEquals("/bad", failed.path());
        assertEquals("ACTOR.RUN.FAILED", failed.body().get("eventType").asText());
        assertEquals("FAILED", failed.body().get("resource").get("status").asText());
        assertNull(receiver.poll(Duration.ofSeconds(2)), "nothing for ACTOR.RUN.SUCCEEDED");
    }

    @Test
    void shouldFireResurrectedAndTheNextEndForAResurrectedRun() throws Exception {
        String actor = daemon.actor("again", "sleep", "120");
        String runId = start(actor, "[{\"eventTypes\":[\"ACTOR.RUN.RESURRECTED\",\"ACTOR.RUN.SUCCEEDED\"],"
                + "\"requestUrl\":\"" + url("/x") + "\"}]");
        finish(runId, 1, 0, "SUCCEEDED");
        assertEquals("ACTOR.RUN.SUCCEEDED", receiver.next().body().get("eventType").asText());
        daemon.api().post("/v2/actor-runs/" + runId + "/resurrect", "").expect(200);
        WebhookReceiver.Received resurrected = receiver.next();
        assertEquals("ACTOR.RUN.RESURRECTED", resurrected.body().get("eventType").asText());
        assertEquals("RUNNING", resurrected.body().get("resource").get("status").asText());
        finish(runId, 2, 0, "SUCCEEDED");
        assertEquals("ACTOR.RUN.SUCCEEDED", receiver.next().body().get("eventType").asText());
    }

    @Test
    void shouldRefuseBadWebhooksWithoutStartingARun() throws Exception {
        String actor = daemon.actor("refused", "exit", "0");
        assertEquals("invalid-value", daemon.api().post("/v2/acts/" + actor + "/runs?webhooks=%25%25%25", "{}")
                .expect(400).errorType());
        String noUrl = URLEncoder.encode(AdHocWebhookTest.b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"]}]"),
                StandardCharsets.UTF_8);
        assertEquals("invalid-value", daemon.api().post("/v2/acts/" + actor + "/runs?webhooks=" + noUrl, "{}")
                .expect(400).errorType());
        assertEquals("invalid-value", daemon.api().post("/v2/acts/" + actor + "/run-sync?webhooks=" + noUrl, "{}")
                .expect(400).errorType());
        assertEquals(0, daemon.api().get("/v2/acts/" + actor + "/runs").expect(200).data().get("total").asInt());
        assertTrue(runtime.created().isEmpty());
    }

    @Test
    void shouldTakeWebhooksFromTheApifyClient() throws Exception {
        NodeScripts.install();
        String actor = daemon.actor("client-hooked", "exit", "0");
        NodeScripts.Result r = NodeScripts.node("webhooks-client.mjs", Map.of("ACTORD_URL",
                daemon.api().base().toString(), "ACTORD_TOKEN", daemon.token(), "ACTOR_ID", actor, "HOOK_URL",
                url("/client")), Duration.ofMinutes(2));
        System.out.println(r.output());
        assertEquals(0, r.exitCode(), r.output());
        String runId = r.output().lines().filter(l -> l.startsWith("run ")).findFirst().orElseThrow().substring(4);
        finish(runId, 1, 0, "SUCCEEDED");
        WebhookReceiver.Received hook = receiver.next();
        assertEquals("/client", hook.path());
        assertEquals(runId, hook.body().get("runId").asText());
        assertEquals("ACTOR.RUN.SUCCEEDED", hook.body().get("event").asText());
        assertEquals("apify-client", hook.body().get("via").asText());
    }
}
