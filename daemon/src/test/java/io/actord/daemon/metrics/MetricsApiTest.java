package io.actord.daemon.metrics;

import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import io.actord.daemon.testing.TestDaemon.Response;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code GET /metrics} during a workload of 20 runs on the fake runtime, read with the Prometheus Python client's
 * parser: the counters and histograms move as the workload says, and no label carries a run id.
 */
class MetricsApiTest {
    private static final String TOKEN = "scraper-token-for-the-test";
    private static final String START_ROUTE = "/v2/acts/{actorId}/runs";

    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon(flags = {"--metrics-token", TOKEN})
    TestDaemon daemon;

    @Test
    void shouldCountTwentyRunsAsTheyStartWaitAndEnd() throws Exception {
        Api api = daemon.api();
        String ok = daemon.actor("finishes", "exit", "0");
        String bad = daemon.actor("fails", "exit", "3");
        String broken = daemon.actor("broken", "fail-start");
        String slow = daemon.actor("sleeps", "sleep", "30");
        PrometheusText before = scrape();
        assertEquals(0, before.sum("actord_run_starts_total"));

        List<String> runIds = new ArrayList<>();
        List<String> finishing = new ArrayList<>();
        List<String> sleeping = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String actor = i < 10 ? ok : i < 15 ? bad : i < 17 ? broken : slow;
            String id = api.post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
            runIds.add(id);
            (actor.equals(slow) ? sleeping : finishing).add(id);
        }
        for (String id : finishing) {
            assertTrue(api.get("/v2/actor-runs/" + id + "?waitForFinish=20").expect(200).data().get("finishedAt")
                    .isTextual(), id);
        }
        for (String id : sleeping) {
            awaitStatus(api, id, "RUNNING");
        }

        PrometheusText during = scrape();
        assertEquals(3, during.sum("actord_runs", Map.of("status", "RUNNING", "actor", "local/sleeps")));
        double held = 3 * daemon.daemon().runs().get(sleeping.get(0)).options().memoryMbytes() * 1024 * 1024.0;
        assertEquals(held, during.sum("actord_user_memory_used_bytes",
                Map.of("user", daemon.daemon().users().local().id())), "the three sleeping runs hold their memory");
        assertEquals(held, during.sum("actord_host_memory_committed_bytes"));

        for (String id : sleeping) {
            assertEquals("ABORTED", api.post("/v2/actor-runs/" + id + "/abort").expect(200).data().get("status")
                    .asText());
        }
        PrometheusText after = scrape();

        assertEquals("counter", after.type("actord_run_starts"));
        assertEquals(20, after.sum("actord_run_starts_total"));
        assertEquals(10, after.sum("actord_run_starts_total", Map.of("actor", "local/finishes")));
        assertEquals(10, after.sum("actord_run_ends_total", Map.of("actor", "local/finishes", "status", "SUCCEEDED")));
        assertEquals(5, after.sum("actord_run_ends_total", Map.of("actor", "local/fails", "status", "FAILED")));
        assertEquals(2, after.sum("actord_run_ends_total", Map.of("actor", "local/broken", "status", "FAILED")));
        assertEquals(3, after.sum("actord_run_ends_total", Map.of("actor", "local/sleeps", "status", "ABORTED")));
        assertEquals(20, after.sum("actord_run_ends_total"));
        assertEquals(0, after.sum("actord_runs"), "no run is active any more");

        assertEquals("histogram", after.type("actord_run_start_latency_seconds"));
        assertEquals(18, after.sum("actord_run_start_latency_seconds_count"),
                "every run but the two whose container failed to start reached RUNNING");
        assertEquals(18, after.sum("actord_run_start_latency_seconds_bucket", Map.of("le", "+Inf")));
        assertEquals(18, after.sum("actord_run_queue_wait_seconds_count"), "18 containers were made");
        assertTrue(after.sum("actord_run_start_latency_seconds_sum") > 0);

        assertEquals(20, after.sum("actord_api_requests_total", Map.of("method", "POST", "route", START_ROUTE,
                "code", "201")));
        assertEquals(20, after.sum("actord_api_request_duration_seconds_count", Map.of("method", "POST",
                "route", START_ROUTE)));
        assertEquals(3, after.sum("actord_api_requests_total", Map.of("method", "POST",
                "route", "/v2/actor-runs/{runId}/abort", "code", "200")));
        assertTrue(after.sum("actord_api_requests_total", Map.of("method", "GET", "route", "/v2/actor-runs/{runId}",
                "code", "200")) >= 17);
        assertEquals(2, after.sum("actord_api_requests_total", Map.of("route", "/metrics", "code", "200")),
                "the two scrapes before this one");

        assertEquals(0, after.sum("actord_user_memory_used_bytes"));
        assertTrue(after.sum("actord_host_memory_capacity_bytes") > 0);
        assertTrue(after.has("actord_state_sst_files_bytes") && after.has("actord_state_compactions_pending"));
        assertTrue(after.sum("jvm_memory_used_bytes", Map.of("area", "heap")) > 0, "the JVM's metrics are there");
        assertEquals(1, after.sum("actord_ready"));
        assertEquals(0, after.sum("actord_webhook_attempts_total"));
        assertTrue(after.has("actord_proxy_requests_total"));

        for (PrometheusText.Sample s : after.samples()) {
            for (String value : s.labels().values()) {
                assertFalse(runIds.stream().anyMatch(value::contains), "a run id in a label: " + s);
            }
        }
    }

    @Test
    void shouldLetOnlyTheAdminAndTheMetricsTokenRead() throws Exception {
        Response scraped = bearer(Optional.of(TOKEN)).get("/metrics").expect(200);
        assertTrue(scraped.contentType().startsWith("text/plain; version=0.0.4"), scraped.contentType());
        daemon.api().get("/metrics").expect(200);
        assertTrue(TestDaemon.unixGet(daemon.socket(), "/metrics").expect(200).text()
                .contains("actord_host_memory_capacity_bytes"), "the admin socket needs no token");

        Response none = daemon.anonymous().get("/metrics").expect(401);
        assertEquals("token-not-provided", none.errorType());
        assertEquals("invalid-token", bearer(Optional.of("apify_api_notAnyTokenThatExists0000")).get("/metrics")
                .expect(401).errorType());
        assertEquals("invalid-token", bearer(Optional.of(TOKEN + "x")).get("/metrics").expect(401).errorType());
        assertEquals("insufficient-permissions", daemon.user("someone").get("/metrics").expect(403).errorType());
        assertEquals(401, bearer(Optional.of(TOKEN)).post("/v2/acts", "{\"name\":\"x\"}").status(),
                "the metrics token is nobody's token for the rest of the API");
    }

    @Test
    void shouldAnswerReadyWhileTheRuntimeAndTheStoreServe() {
        assertEquals("ready", daemon.anonymous().get("/readyz").expect(200).data().get("status").asText());
        daemon.anonymous().get("/healthz").expect(200);
    }

    @Test
    void shouldSendTheTokenOnlyAsBearer() {
        Response q = daemon.anonymous().send(HttpRequest.newBuilder(daemon.api().base().resolve("/metrics?token="
                + TOKEN)).GET());
        assertEquals(401, q.status(), "?token= is for users' tokens, which this is not: " + q.text());
    }

    private Api bearer(Optional<String> token) {
        return new Api(daemon.api().base(), token);
    }

    private PrometheusText scrape() throws Exception {
        return PrometheusText.parse(bearer(Optional.of(TOKEN)).get("/metrics").expect(200).text());
    }
}
