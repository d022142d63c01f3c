package io.actord.daemon.inrun;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ActorEvents;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run's in-run endpoint on the fake runtime, whose containers share the daemon's network namespace: the
 * endpoint then listens on a free host loopback port, and everything above the socket is what a real
 * container gets (tokens, the whole API as the run, events).
 */
class RunEndpointsTest {
    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon
    TestDaemon daemon;
    HttpClient http = HttpClient.newHttpClient();

    @Test
    void shouldPointTheRunAtItsEndpointWithItsOwnToken() throws Exception {
        JsonNode run = startSleeping("env");
        Map<String, String> env = runtime.last().spec().env();
        assertEquals("1", env.get("APIFY_IS_AT_HOME"));
        assertEquals("http://127.0.0.1:" + address(run.get("id").asText()).getPort(), env.get("APIFY_API_BASE_URL"));
        assertTrue(env.get("APIFY_TOKEN").startsWith("apify_api_"));
        assertEquals(env.get("ACTOR_EVENTS_WEBSOCKET_URL"), env.get("APIFY_ACTOR_EVENTS_WS_URL"));
        assertEquals("ws://127.0.0.1:" + address(run.get("id").asText()).getPort() + "/v2/actor-events?token=" + env.get("APIFY_TOKEN"),
                env.get("ACTOR_EVENTS_WEBSOCKET_URL"));
        assertEquals(run.get("id").asText(), env.get("ACTOR_RUN_ID"));
        String other = startSleeping("other").get("id").asText();
        assertFalse(env.get("APIFY_TOKEN").equals(runtime.last().spec().env().get("APIFY_TOKEN")), "per-run tokens");
        assertNotNull(other);
    }

    @Test
    void shouldServeTheApiToTheRunOnlyWithItsToken() throws Exception {
        JsonNode run = startSleeping("served");
        String runId = run.get("id").asText();
        String token = runtime.last().spec().env().get("APIFY_TOKEN");
        URI base = base(runId);
        HttpResponse<String> self = get(base.resolve("/v2/actor-runs/" + runId), token);
        assertEquals(200, self.statusCode(), self.body());
        assertTrue(Json.MAPPER.readTree(self.body()).get("data").get("options").isObject());
        assertEquals(401, get(base.resolve("/v2/actor-runs/" + runId), null).statusCode());
        assertEquals("token-not-provided", error(get(base.resolve("/v2/actor-runs/" + runId), null)));
        assertEquals("invalid-token", error(get(base.resolve("/v2/actor-runs/" + runId), "apify_api_wrong")));
        HttpResponse<String> input = http.send(HttpRequest.newBuilder(base.resolve("/v2/key-value-stores/"
                + run.get("defaultKeyValueStoreId").asText() + "/records/INPUT?token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("{\"in\":1}", input.body());
    }

    @Test
    void shouldLetTheSameRunProlongItsLocksUnderANewClientKey() throws Exception {
        JsonNode run = startSleeping("locks");
        String runId = run.get("id").asText();
        String token = runtime.last().spec().env().get("APIFY_TOKEN");
        URI base = base(runId);
        String q = "/v2/request-queues/" + run.get("defaultRequestQueueId").asText();
        send(base, "POST", q + "/requests?clientKey=first", token, "{\"url\":\"http://e.com\"}");
        JsonNode locked = Json.MAPPER.readTree(send(base, "POST", q + "/head/lock?lockSecs=60&clientKey=first", token, "")
                .body()).get("data");
        String rid = locked.get("items").get(0).get("id").asText();
        assertEquals(200, send(base, "PUT", q + "/requests/" + rid + "/lock?lockSecs=60&clientKey=second", token, "")
                .statusCode(), "a restarted container of the same run gets its locks back");
        assertEquals(409, daemon.api().send(HttpRequest.newBuilder(daemon.api().base().resolve(q + "/requests/" + rid
                + "/lock?lockSecs=60&clientKey=third")).PUT(HttpRequest.BodyPublishers.noBody())).status());
    }

    @Test
    void shouldSendSystemInfoAndOnAGracefulAbortAbortingAndPersistStateWithoutSigterm() throws Exception {
        JsonNode run = startSleeping("events");
        String runId = run.get("id").asText();
        String token = runtime.last().spec().env().get("APIFY_TOKEN");
        ActorEvents events = new ActorEvents();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:"
                + address(runId).getPort() + "/v2/actor-events?token=" + token), events).get(5, TimeUnit.SECONDS);
        JsonNode info = events.next("systemInfo");
        for (String f : List.of("createdAt", "cpuCurrentUsage", "isCpuOverloaded", "memCurrentBytes", "memAvgBytes",
                "memMaxBytes", "cpuAvgUsage", "cpuMaxUsage")) {
            assertTrue(info.get("data").has(f), f + " in " + info);
        }
        assertTrue(info.get("createdAt").asText().endsWith("Z"));
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        assertTrue(events.next("aborting").get("data").isNull());
        assertFalse(events.next("persistState").get("data").get("isMigrating").asBoolean());
        JsonNode done = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
        assertEquals("ABORTED", done.get("status").asText());
        for (int i = 0; i < 100 && runtime.last().signals().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(List.of(Signal.SIGKILL), List.copyOf(runtime.last().signals()),
                "events instead of SIGTERM, killed after the grace");
        for (int i = 0; i < 100 && address(runId) != null; i++) {
            Thread.sleep(20);
        }
        assertTrue(address(runId) == null, "the endpoint closes with the container");
        ws.abort();
    }

    @Test
    void shouldSendSigtermOnAGracefulAbortWhenNobodyListens() throws Exception {
        String runId = startSleeping("deaf").get("id").asText();
        daemon.api().post("/v2/actor-runs/" + runId + "/abort?gracefully=1").expect(200);
        JsonNode done = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
        assertEquals("ABORTED", done.get("status").asText());
        for (int i = 0; i < 100 && runtime.last().signals().isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertEquals(Signal.SIGTERM, runtime.last().signals().get(0));
    }

    @Test
    void shouldCloseTheEndpointOfARunWhoseContainerNeverStarted() throws Exception {
        String actor = daemon.actor("unstartable", "fail-start");
        JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201).data();
        assertEquals("FAILED", run.get("status").asText());
        assertTrue(address(run.get("id").asText()) == null, "no listener left behind");
    }

    private JsonNode startSleeping(String name) throws Exception {
        String actor = daemon.actor(name, "sleep", "30");
        JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs", "{\"in\":1}").expect(201).data();
        String id = run.get("id").asText();
        for (int i = 0; i < 100 && (address(id) == null || !daemon.api().get("/v2/actor-runs/" + id).data()
                .get("status").asText().equals("RUNNING")); i++) {
            Thread.sleep(50);
        }
        assertNotNull(address(id), "the endpoint opened");
        return run;
    }

    private InetSocketAddress address(String runId) {
        return daemon.daemon().endpoints().address(runId).orElse(null);
    }

    private URI base(String runId) {
        return URI.create("http://127.0.0.1:" + address(runId).getPort() + "/");
    }

    private HttpResponse<String> get(URI uri, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(URI base, String method, String path, String token, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String error(HttpResponse<String> r) throws Exception {
        return Json.MAPPER.readTree(r.body()).get("error").get("type").asText();
    }
}
