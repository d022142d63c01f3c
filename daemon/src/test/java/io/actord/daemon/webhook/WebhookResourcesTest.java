package io.actord.daemon.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.WebhookReceiver;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code /v2/webhooks} and {@code /v2/webhook-dispatches} on the fake runtime, delivered to a loopback receiver. */
class WebhookResourcesTest {
    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon(flags = {"--egress-allow", "127.0.0.0/8", "--webhook-first-retry-ms", "500"})
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

    private String body(String condition, String events, String extra) {
        return "{\"requestUrl\":\"" + receiver.url("/hook") + "\",\"eventTypes\":" + events + ",\"condition\":"
                + condition + extra + "}";
    }

    private JsonNode create(String json) {
        return daemon.api().post("/v2/webhooks", json).expect(201).data();
    }

    private long total(String path) {
        return daemon.api().get(path).expect(200).data().get("total").asLong();
    }

    @Test
    void shouldCreateGetListUpdateAndDeleteAWebhook() throws Exception {
        String actor = daemon.actor("hooked", "exit", "0");
        JsonNode w = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]",
                ",\"description\":\"d\""));
        String id = w.get("id").asText();
        assertEquals(actor, w.get("condition").get("actorId").asText());
        assertFalse(w.get("isAdHoc").asBoolean());
        assertEquals(0, w.get("stats").get("totalDispatches").asInt());
        assertTrue(w.get("lastDispatch").isNull());
        assertEquals(w, daemon.api().get("/v2/webhooks/" + id).expect(200).data());
        assertEquals(1, total("/v2/webhooks"));
        assertEquals(1, total("/v2/acts/" + actor + "/webhooks"));
        JsonNode updated = daemon.api().put("/v2/webhooks/" + id, "{\"description\":\"e\",\"eventTypes\":"
                + "[\"ACTOR.RUN.FAILED\"]}").expect(200).data();
        assertEquals("e", updated.get("description").asText());
        assertEquals("ACTOR.RUN.FAILED", updated.get("eventTypes").get(0).asText());
        assertEquals(w.get("requestUrl"), updated.get("requestUrl"), "what the update does not name is kept");
        daemon.api().delete("/v2/webhooks/" + id).expect(204);
        assertEquals("record-not-found", daemon.api().get("/v2/webhooks/" + id).expect(404).errorType());
        assertEquals(0, total("/v2/webhooks"));
        assertEquals(0, total("/v2/acts/" + actor + "/webhooks"));
    }

    @Test
    void shouldReturnTheFirstWebhookForARepeatedIdempotencyKey() throws Exception {
        String actor = daemon.actor("idem", "exit", "0");
        String json = body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]", ",\"idempotencyKey\":\"k1\"");
        String first = create(json).get("id").asText();
        assertEquals(first, create(json.replace("/hook", "/other")).get("id").asText());
        assertEquals(1, total("/v2/webhooks"));
    }

    @Test
    void shouldRefuseBadWebhooksCreatingNothing() throws Exception {
        String actor = daemon.actor("bad", "exit", "0");
        String cond = "{\"actorId\":\"" + actor + "\"}";
        String events = "[\"ACTOR.RUN.SUCCEEDED\"]";
        for (String bad : new String[]{
                body(cond, "[\"ACTOR.RUN.EXPLODED\"]", ""), body(cond, "[]", ""), body(cond, "[null]", ""),
                body("{}", events, ""), body("{\"actorId\":\"" + actor + "\",\"actorRunId\":\"x\"}", events, ""),
                body("{\"actorRunId\":\"NoSuchRun\"}", events, ""), body("{\"actorId\":\"nobody~nothing\"}", events, ""),
                body("{\"actorTaskId\":\"a\\u0000b\"}", events, ""),
                body(cond, events, ",\"ignoreSslErrors\":true"),
                "{\"requestUrl\":\"ftp://127.0.0.1/x\",\"eventTypes\":" + events + ",\"condition\":" + cond + "}",
                "{\"requestUrl\":\"http://169.254.169.254/latest\",\"eventTypes\":" + events + ",\"condition\":"
                        + cond + "}",
                "{\"requestUrl\":\"http://999.1.1.1/\",\"eventTypes\":" + events + ",\"condition\":" + cond + "}",
                "{\"eventTypes\":" + events + ",\"condition\":" + cond + "}", "[]", "{\"eventTypes\":7}"}) {
            TestDaemon.Response r = daemon.api().post("/v2/webhooks", bad);
            assertEquals(400, r.status(), bad + " → " + r.text());
        }
        assertEquals(0, total("/v2/webhooks"));
        assertEquals("record-not-found", daemon.api().get("/v2/webhooks/nope").expect(404).errorType());
        assertEquals("record-not-found", daemon.api().get("/v2/webhook-dispatches/nope").expect(404).errorType());
    }

    @Test
    void shouldFireAnActorsWebhookWithGlobalsAndListItsDispatch() throws Exception {
        String actor = daemon.actor("fired", "exit", "0");
        String template = "{\\\"run\\\": {{resource.id}}, \\\"at\\\": {{globals.dateUnix}}, "
                + "\\\"iso\\\": {{globals.dateISO}}, \\\"text\\\": \\\"run {{resource.id}} {{eventType}}\\\"}";
        String id = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]",
                ",\"shouldInterpolateStrings\":true,\"payloadTemplate\":\"" + template + "\"")).get("id").asText();
        long before = Instant.now().toEpochMilli();
        String runId = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        runtime.awaitCreated(1, Duration.ofSeconds(10)).exit(ExitStatus.exited(0));
        WebhookReceiver.Received got = receiver.next();
        assertEquals(runId, got.body().get("run").asText());
        assertEquals("run " + runId + " ACTOR.RUN.SUCCEEDED", got.body().get("text").asText());
        assertTrue(got.body().get("at").asLong() >= before, got.body().toString());
        assertEquals(got.body().get("at").asLong(), Instant.parse(got.body().get("iso").asText()).toEpochMilli());

        JsonNode dispatch = awaitStatus(got.dispatchId(), "SUCCEEDED");
        assertEquals(id, dispatch.get("webhookId").asText());
        assertEquals("ACTOR.RUN.SUCCEEDED", dispatch.get("eventType").asText());
        assertEquals(runId, dispatch.get("eventData").get("actorRunId").asText());
        assertEquals(200, dispatch.get("calls").get(0).get("responseStatus").asInt());
        assertEquals(1, total("/v2/webhooks/" + id + "/dispatches"));
        assertEquals(1, total("/v2/webhook-dispatches"));
        JsonNode w = daemon.api().get("/v2/webhooks/" + id).expect(200).data();
        assertEquals(1, w.get("stats").get("totalDispatches").asInt());
        assertEquals("SUCCEEDED", w.get("lastDispatch").get("status").asText());
    }

    @Test
    void shouldRecordEachFailedCallAndRetry() throws Exception {
        receiver.answer(500);
        String actor = daemon.actor("retry", "exit", "2");
        String id = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.FAILED\"]", "")).get("id").asText();
        daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201);
        runtime.awaitCreated(1, Duration.ofSeconds(10)).exit(ExitStatus.exited(2));
        String dispatchId = receiver.next().dispatchId();
        assertEquals(dispatchId, receiver.next().dispatchId(), "retried after the 500");
        JsonNode d = awaitStatus(dispatchId, "SUCCEEDED");
        assertEquals(500, d.get("calls").get(0).get("responseStatus").asInt());
        assertEquals("HTTP 500", d.get("calls").get(0).get("errorMessage").asText());
        assertEquals(2, d.get("calls").size());
        assertEquals(id, d.get("webhookId").asText());
    }

    @Test
    void shouldSendATestEventNow() throws Exception {
        String actor = daemon.actor("tested", "exit", "0");
        String id = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]", "")).get("id").asText();
        JsonNode d = daemon.api().post("/v2/webhooks/" + id + "/test", "").expect(201).data();
        assertEquals("TEST", d.get("eventType").asText());
        WebhookReceiver.Received got = receiver.next();
        assertEquals("TEST", got.body().get("eventType").asText());
        assertEquals(d.get("id").asText(), got.dispatchId());
        assertEquals("SUCCEEDED", awaitStatus(d.get("id").asText(), "SUCCEEDED").get("status").asText());
    }

    @Test
    void shouldKeepAUsersWebhooksFromOthers() throws Exception {
        String actor = daemon.actor("mine", "exit", "0");
        String id = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]", "")).get("id").asText();
        TestDaemon.Api bob = daemon.user("bob");
        assertEquals("record-not-found", bob.get("/v2/webhooks/" + id).expect(404).errorType());
        assertEquals("record-not-found", bob.put("/v2/webhooks/" + id, "{}").expect(404).errorType());
        assertEquals("record-not-found", bob.delete("/v2/webhooks/" + id).expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/webhooks/" + id + "/test", "").expect(404).errorType());
        assertEquals(0, bob.get("/v2/webhooks").expect(200).data().get("total").asInt());
        assertEquals(400, bob.post("/v2/webhooks", body("{\"actorId\":\"" + actor + "\"}",
                "[\"ACTOR.RUN.SUCCEEDED\"]", "")).status(), "another user's actor is not one bob can hook");
        assertEquals(401, daemon.anonymous().get("/v2/webhooks").status());
    }

    @Test
    void shouldLetARunHookItsOwnRunWithItsToken() throws Exception {
        String actor = daemon.actor("self", "sleep", "30");
        String runId = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        String runToken = runtime.awaitCreated(1, Duration.ofSeconds(10)).spec().env().get("APIFY_TOKEN");
        TestDaemon.Api run = new TestDaemon.Api(URI.create("http://127.0.0.1:" + daemon.daemon().endpoints()
                .address(runId).orElseThrow().getPort()), Optional.of(runToken));
        String json = body("{\"actorRunId\":\"" + runId + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]",
                ",\"isAdHoc\":true,\"idempotencyKey\":\"" + runId + "\"");
        JsonNode w = run.post("/v2/webhooks", json).expect(201).data();
        assertTrue(w.get("isAdHoc").asBoolean());
        assertEquals(w.get("id"), run.post("/v2/webhooks", json).expect(201).data().get("id"), "idempotent");
        runtime.last().exit(ExitStatus.exited(0));
        WebhookReceiver.Received got = receiver.next();
        assertEquals(runId, got.body().get("resource").get("id").asText());
        assertNull(receiver.poll(Duration.ofSeconds(1)), "one webhook, one request");
    }

    @Test
    void shouldShowAStartRequestsWebhooksAsAdHocOnesAndDeleteThemWithTheRun() throws Exception {
        String actor = daemon.actor("adhoc", "exit", "0");
        String option = java.net.URLEncoder.encode(AdHocWebhookTest.b64("[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],"
                + "\"requestUrl\":\"" + receiver.url("/a") + "\"}]"), java.nio.charset.StandardCharsets.UTF_8);
        String runId = daemon.api().post("/v2/acts/" + actor + "/runs?webhooks=" + option, "{}").expect(201).data()
                .get("id").asText();
        JsonNode w = daemon.api().get("/v2/webhooks").expect(200).data().get("items").get(0);
        assertTrue(w.get("isAdHoc").asBoolean());
        assertEquals(runId, w.get("condition").get("actorRunId").asText());
        runtime.awaitCreated(1, Duration.ofSeconds(10)).exit(ExitStatus.exited(0));
        assertEquals("/a", receiver.next().path());
        awaitStatus(daemon.api().get("/v2/webhook-dispatches").expect(200).data().get("items").get(0).get("id")
                .asText(), "SUCCEEDED");
        daemon.api().delete("/v2/actor-runs/" + runId).expect(204);
        assertEquals(0, total("/v2/webhooks"));
        assertEquals(0, total("/v2/webhook-dispatches"), "its dispatches went with it");
    }

    @Test
    void shouldMoveAWebhookBetweenListsWhenItsConditionChanges() throws Exception {
        String actor = daemon.actor("moved", "exit", "0");
        String id = create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]",
                ",\"idempotencyKey\":\"one\"")).get("id").asText();
        create(body("{\"actorId\":\"" + actor + "\"}", "[\"ACTOR.RUN.SUCCEEDED\"]", ",\"idempotencyKey\":\"two\""));
        assertEquals("invalid-value", daemon.api().put("/v2/webhooks/" + id, "{\"idempotencyKey\":\"two\"}")
                .expect(400).errorType(), "another webhook has that key");
        String task = task(actor, "moved-task");
        daemon.api().put("/v2/webhooks/" + id, "{\"condition\":{\"actorTaskId\":\"" + task + "\"}}").expect(200);
        assertEquals(1, total("/v2/actor-tasks/" + task + "/webhooks"));
        assertEquals(1, total("/v2/acts/" + actor + "/webhooks"), "only the other one is left on the actor");
        assertEquals(400, daemon.api().put("/v2/webhooks/" + id, "{\"condition\":{}}").status());
        assertEquals(1, total("/v2/actor-tasks/" + task + "/webhooks"), "a refused update changes nothing");
    }

    @Test
    void shouldListATasksWebhooksByCondition() throws Exception {
        String actor = daemon.actor("tasked", "exit", "0");
        String first = task(actor, "first-task");
        String second = task(actor, "second-task");
        JsonNode byName = create(body("{\"actorTaskId\":\"~first-task\"}", "[\"ACTOR.RUN.SUCCEEDED\"]", ""));
        assertEquals(first, byName.get("condition").get("actorTaskId").asText(), "kept as the task's id");
        assertEquals("invalid-value", daemon.api().post("/v2/webhooks", body("{\"actorTaskId\":\"AAAAAAAAAAAAAAAAA\"}",
                "[\"ACTOR.RUN.SUCCEEDED\"]", "")).expect(400).errorType(), "no such task");
        assertEquals(1, total("/v2/actor-tasks/" + first + "/webhooks"));
        assertEquals(0, total("/v2/actor-tasks/" + second + "/webhooks"));
        assertEquals("record-not-found", daemon.api().get("/v2/actor-tasks/" + URI.create("a%00b").getRawPath()
                + "/webhooks").expect(404).errorType(), "no such task");
    }

    private String task(String actor, String name) {
        return daemon.api().post("/v2/actor-tasks", "{\"actId\":\"" + actor + "\",\"name\":\"" + name + "\"}")
                .expect(201).data().get("id").asText();
    }

    private JsonNode awaitStatus(String dispatchId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode d = daemon.api().get("/v2/webhook-dispatches/" + dispatchId).expect(200).data();
        while (!d.get("status").asText().equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(50);
            d = daemon.api().get("/v2/webhook-dispatches/" + dispatchId).expect(200).data();
        }
        assertEquals(status, d.get("status").asText(), d.toString());
        return d;
    }
}
