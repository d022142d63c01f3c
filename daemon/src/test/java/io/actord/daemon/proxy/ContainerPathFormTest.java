package io.actord.daemon.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path form when it is the only one (no containers domain): a run's page shares the API's and the
 * console's origin, so what its answers may do there is confined to its prefix (#20 defect 7). Also the
 * relaying that Java's HTTP client drives, which needs a URL it can resolve. Fake runtime; the run's
 * server is a {@link TestWebServer} on host loopback.
 */
class ContainerPathFormTest {
    @StartDaemon(flags = {"--container-wait-ms", "1000"})
    private TestDaemon daemon;
    private final TestWebServer web = new TestWebServer();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @AfterEach
    void closeServer() {
        web.close();
    }

    private InetSocketAddress listener() {
        return daemon.daemon().tcpAddress().orElseThrow();
    }

    /** A running run's container URL (the path form). */
    private String runUrl() throws Exception {
        String actor = daemon.actor("web-" + System.nanoTime(), daemon.rootfs(), List.of("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
        String id = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        for (int i = 0; i < 500; i++) {
            JsonNode run = daemon.api().get("/v2/actor-runs/" + id).expect(200).data();
            if (run.get("status").asText().equals("RUNNING")) {
                return run.get("containerUrl").asText();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("run " + id + " did not start");
    }

    private static String prefix(String url) {
        return URI.create(url).getPath().replaceAll("/$", "");
    }

    /** The run's server answers with these headers, through the proxy. */
    private HttpResponse<String> answerWith(String url, String... nameValues) throws Exception {
        StringBuilder query = new StringBuilder();
        for (int i = 0; i < nameValues.length; i += 2) {
            query.append(i == 0 ? "?" : "&").append(nameValues[i]).append('=')
                    .append(URLEncoder.encode(nameValues[i + 1], StandardCharsets.UTF_8));
        }
        return http.send(HttpRequest.newBuilder(URI.create(url + "answer-with" + query)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void shouldServeThePathFormOnTheApisOriginWhenItIsTheOnlyForm() throws Exception {
        String url = runUrl();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url + "hello")).build(),
                HttpResponse.BodyHandlers.ofString());

        assertTrue(url.matches("http://127\\.0\\.0\\.1:" + listener().getPort() + "/containers/[a-z0-9]{"
                + ContainerUrls.TOKEN_LENGTH + "}/"), url);
        assertEquals(200, r.statusCode());
        assertEquals(TestWebServer.HELLO, r.body());
    }

    @Test
    void shouldConfineACookieForTheWholeOriginToTheRunsPrefix() throws Exception {
        String url = runUrl();
        String prefix = prefix(url);

        HttpResponse<String> r = answerWith(url, "Set-Cookie", "a=b; Path=/", "Set-Cookie",
                "c=d; Domain=127.0.0.1; path=/containers/; HttpOnly", "Set-Cookie", "e=f; Path=" + prefix + "/x",
                "Set-Cookie", "g=h; Path=" + prefix + "XYZ/", "Set-Cookie", "i=j");

        assertEquals(200, r.statusCode());
        assertEquals(List.of("a=b; Path=" + prefix + "/", "c=d; HttpOnly; Path=" + prefix + "/",
                "e=f; Path=" + prefix + "/x", "g=h; Path=" + prefix + "/", "i=j"), r.headers().allValues("set-cookie"));
    }

    @Test
    void shouldDropAServiceWorkerScopeOverTheWholeOrigin() throws Exception {
        String url = runUrl();

        HttpResponse<String> r = answerWith(url, "Service-Worker-Allowed", "/", "Clear-Site-Data", "\"storage\"",
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains", "X-Kept", "yes");

        assertEquals(200, r.statusCode());
        assertEquals(Optional.empty(), r.headers().firstValue("service-worker-allowed"));
        assertEquals(Optional.empty(), r.headers().firstValue("clear-site-data"));
        assertEquals(Optional.empty(), r.headers().firstValue("strict-transport-security"));
        assertEquals(Optional.of("yes"), r.headers().firstValue("x-kept"));
    }

    @Test
    void shouldGiveTheRunsPagesAnOpaqueOriginBesideTheirOwnPolicy() throws Exception {
        String url = runUrl();

        HttpResponse<String> plain = answerWith(url);
        HttpResponse<String> own = answerWith(url, "Content-Security-Policy", "default-src 'self'");

        assertEquals(List.of(PathFormHeaders.SANDBOX), plain.headers().allValues("content-security-policy"));
        assertTrue(!PathFormHeaders.SANDBOX.contains("allow-same-origin"), PathFormHeaders.SANDBOX);
        assertEquals(List.of("default-src 'self'", PathFormHeaders.SANDBOX),
                own.headers().allValues("content-security-policy"));
    }

    @Test
    void shouldTellTheRunsServerWhereTheRequestCameFrom() throws Exception {
        String url = runUrl();
        String prefix = prefix(url);
        String apiHost = "127.0.0.1:" + listener().getPort();
        try (HttpConnection c = HttpConnection.tcp(listener())) {
            String seen = c.get(apiHost, prefix + "/headers?x=1").text().toLowerCase(Locale.ROOT);

            assertTrue(seen.startsWith("get /headers?x=1\n"), seen);
            assertTrue(seen.contains("\nx-forwarded-for: 127.0.0.1\n"), seen);
            assertTrue(seen.contains("\nx-forwarded-proto: http\n"), seen);
            assertTrue(seen.contains("\nx-forwarded-host: " + apiHost + "\n"), seen);
            assertTrue(seen.contains("\nx-forwarded-prefix: " + prefix + "\n"), seen);
            assertTrue(seen.contains("\nhost: " + apiHost + "\n"), seen);
        }
    }

    @Test
    void shouldSendPathFormRequestsWithoutTheSlashToIt() throws Exception {
        String prefix = prefix(runUrl());
        try (HttpConnection c = HttpConnection.tcp(listener())) {
            HttpConnection.Response r = c.get("127.0.0.1:" + listener().getPort(), prefix + "?a=1");

            assertEquals(308, r.status());
            assertEquals(prefix + "/?a=1", r.header("location"));
        }
    }

    @Test
    void shouldStreamBodiesBothWays() throws Exception {
        String url = runUrl();
        byte[] body = new byte[8 << 20];
        new Random(7).nextBytes(body);

        HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "echo"))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build(),
                HttpResponse.BodyHandlers.ofInputStream());

        assertEquals(200, r.statusCode());
        try (InputStream in = r.body()) {
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(body),
                    MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }

    @Test
    void shouldRelayWebSocketMessages() throws Exception {
        String url = runUrl();
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws" + url.substring(4) + "ws"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        echoed.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);

        ws.sendText("hello through the proxy", true).get(10, TimeUnit.SECONDS);

        assertEquals("hello through the proxy", echoed.get(10, TimeUnit.SECONDS));
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }
}
