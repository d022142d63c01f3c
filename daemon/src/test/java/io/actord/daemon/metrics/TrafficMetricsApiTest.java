package io.actord.daemon.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import io.actord.daemon.testing.WebhookReceiver;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The metrics of what runs send and receive besides the API: the container-URL proxy and webhooks. */
class TrafficMetricsApiTest {
    private static final String DOMAIN = "containers.test";

    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon(flags = {"--containers-domain", DOMAIN, "--container-wait-ms", "1000", "--egress-allow",
            "127.0.0.0/8", "--webhook-first-retry-ms", "200"})
    TestDaemon daemon;

    @Test
    void shouldCountProxiedRequestsAndTheirBytes() throws Exception {
        try (TestWebServer web = new TestWebServer()) {
            String actor = daemon.actor("web", daemon.rootfs(), List.of("sleep", "300"),
                    Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
            String id = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
            JsonNode run = awaitStatus(daemon.api(), id, "RUNNING");
            String url = run.get("containerUrl").asText();
            InetSocketAddress tcp = daemon.daemon().tcpAddress().orElseThrow();
            String host = url.substring("http://".length(), url.indexOf('.')) + "." + DOMAIN + ":" + tcp.getPort();
            try (HttpConnection c = HttpConnection.tcp(tcp)) {
                assertEquals(TestWebServer.HELLO, c.get(host, "/hello").text());
                assertEquals(TestWebServer.HELLO, c.get(host, "/hello").text());
            }

            PrometheusText metrics = scrape();
            assertEquals(2, metrics.sum("actord_proxy_requests_total"));
            assertTrue(metrics.sum("actord_proxy_bytes_total", Map.of("direction", "from_container"))
                    >= 2 * TestWebServer.HELLO.length(), "two answers came from the run's server");
            assertTrue(metrics.sum("actord_proxy_bytes_total", Map.of("direction", "to_container"))
                    >= 2 * "GET /hello HTTP/1.1\r\n".length(), "two requests went to it");
            assertEquals(0, metrics.sum("actord_api_requests_total", Map.of("route", "/hello")),
                    "proxied requests are not the API's");
        }
    }

    @Test
    void shouldCountWebhookAttemptsByOutcome() throws Exception {
        try (WebhookReceiver receiver = new WebhookReceiver()) {
            receiver.answer(500);
            String actor = daemon.actor("hooked", "exit", "0");
            String webhooks = "[{\"eventTypes\":[\"ACTOR.RUN.SUCCEEDED\"],\"requestUrl\":\"" + receiver.url("/done")
                    + "\"}]";
            String option = URLEncoder.encode(Base64.getEncoder().encodeToString(webhooks.getBytes(
                    StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
            daemon.api().post("/v2/acts/" + actor + "/runs?webhooks=" + option, "{}").expect(201);
            receiver.next();
            receiver.next();

            PrometheusText metrics = scrape();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (metrics.sum("actord_webhook_attempts_total", Map.of("outcome", "delivered")) < 1
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
                metrics = scrape();
            }
            assertEquals(1, metrics.sum("actord_webhook_attempts_total", Map.of("outcome", "retry")));
            assertEquals(1, metrics.sum("actord_webhook_attempts_total", Map.of("outcome", "delivered")));
            assertEquals(0, metrics.sum("actord_webhook_attempts_total", Map.of("outcome", "gave_up")));
            assertEquals(0, metrics.sum("actord_webhook_attempts_total", Map.of("outcome", "refused")));
        }
    }

    private PrometheusText scrape() throws Exception {
        return PrometheusText.parse(TestDaemon.unixGet(daemon.socket(), "/metrics").expect(200).text());
    }
}
