package io.actord.daemon.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.MemoryProbe;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container-URL proxy with real, isolated containers: the payload's {@code serve-http 4321} listens on
 * the loopback of the run's own network namespace, which the host cannot reach, and the daemon's proxy
 * opens its sockets there.
 */
@Tag("privileged")
class ContainerProxyIT {
    private static final String DOMAIN = "containers.test";
    private static final String HELLO = "hello from payload\n";

    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, graceSeconds = 3,
            flags = {"--containers-domain", DOMAIN, "--container-wait-ms", "3000"})
    private static TestDaemon daemon;
    private static InetSocketAddress listener;
    private static String serverActor;

    @BeforeAll
    static void start() throws Exception {
        listener = daemon.daemon().tcpAddress().orElseThrow();
        serverActor = runtime.actor(daemon, "web", "serve-http", "4321");
    }

    private static JsonNode startServer() {
        return daemon.api().post("/v2/acts/" + serverActor + "/runs?memory=128", "{}").expect(201).data();
    }

    private static String token(JsonNode run) {
        String url = run.get("containerUrl").asText();
        return url.substring("http://".length(), url.indexOf('.'));
    }

    private static String apiHost() {
        return "127.0.0.1:" + listener.getPort();
    }

    private static String containerHost(String token) {
        return token + "." + DOMAIN + ":" + listener.getPort();
    }

    @Test
    void shouldServeAnIsolatedRunsServerFromTheMomentItStartsAndSendThePathFormThere() throws Exception {
        JsonNode run = startServer();
        String token = token(run);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response first = c.get(containerHost(token), "/");
            HttpConnection.Response byPath = c.get(apiHost(), "/containers/" + token + "/bytes/100000");
            HttpConnection.Response bytes = c.get(containerHost(token), "/bytes/100000");

            System.out.println("ContainerProxyIT: first request sent while the run was " + run.get("status").asText());
            assertEquals(200, first.status(), first.text());
            assertEquals(HELLO, first.text());
            assertEquals(308, byPath.status(), "the path form is not served on the API's origin");
            assertEquals(run.get("containerUrl").asText() + "bytes/100000", byPath.header("location"));
            assertEquals(200, bytes.status());
            assertEquals("x".repeat(100_000), bytes.text());
        }
    }

    @Test
    void shouldRelayAWebSocketEcho() throws Exception {
        String token = token(startServer());
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            String key = Base64.getEncoder().encodeToString("actord-websocket".getBytes(StandardCharsets.US_ASCII));
            c.send("GET /ws HTTP/1.1\r\nHost: " + containerHost(token) + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
            HttpConnection.Response upgraded = c.readHead();
            byte[] message = "hello over the proxy".getBytes(StandardCharsets.UTF_8);
            byte[] mask = {5, 6, 7, 8};
            ByteBuffer frame = ByteBuffer.allocate(6 + message.length).put((byte) 0x81)
                    .put((byte) (0x80 | message.length)).put(mask);
            for (int i = 0; i < message.length; i++) {
                frame.put((byte) (message[i] ^ mask[i % 4]));
            }
            c.send(frame.array());

            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertEquals(101, upgraded.status());
            assertEquals(accept, upgraded.header("sec-websocket-accept"));
            assertArrayEquals(new byte[] {(byte) 0x81, (byte) message.length}, c.stream().readNBytes(2));
            assertArrayEquals(message, c.stream().readNBytes(message.length));
        }
    }

    @Test
    void shouldStream50MegabytesWithoutTheDaemonsMemoryGrowing() throws Exception {
        String token = token(startServer());
        long size = 50L << 20;
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(200, c.get(containerHost(token), "/").status());
            MemoryProbe.Reading before = MemoryProbe.read();
            c.send("GET /bytes/" + size + " HTTP/1.1\r\nHost: " + containerHost(token) + "\r\n\r\n");
            HttpConnection.Response head = c.readHead();
            MemoryProbe.Reading[] paused = new MemoryProbe.Reading[1];
            long kept = c.readBody(head, 0, 1 << 20, Duration.ofMillis(1000), () -> {
                paused[0] = MemoryProbe.read();
            }).length;
            MemoryProbe.Reading after = MemoryProbe.read();

            System.out.println("ContainerProxyIT: 50 MB through the proxy; daemon before: " + before
                    + "; client paused after 1 MB: " + paused[0] + "; after: " + after);
            assertEquals(200, head.status());
            assertEquals(Long.toString(size), head.header("content-length"));
            assertEquals(0, kept);
            assertTrue(paused[0].minus(before).totalBytes() < 8L << 20, "grew by " + paused[0].minus(before));
            assertTrue(after.minus(before).totalBytes() < 8L << 20, "grew by " + after.minus(before));
        }
    }

    @Test
    void shouldAnswer502WhenNothingListensOnTheRunsPort() throws Exception {
        String quiet = daemon.actor("quiet", ItRuntime.payloadRootfs(), ItRuntime.payloadCommand("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", "4322"));
        JsonNode run = daemon.api().post("/v2/acts/" + quiet + "/runs?memory=128", "{}").expect(201).data();
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response r = c.get(containerHost(token(run)), "/");

            assertEquals(502, r.status());
            assertTrue(r.text().contains("nothing listens on port 4322"), r.text());
        }
    }

    @Test
    void shouldStopServingAtTheEndOfTheRunAndServeAgainAfterResurrect() throws Exception {
        JsonNode run = startServer();
        String id = run.get("id").asText();
        String token = token(run);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(200, c.get(containerHost(token), "/").status());

            daemon.api().post("/v2/actor-runs/" + id + "/abort").expect(200);
            HttpConnection.Response ended = c.get(containerHost(token), "/");
            HttpConnection.Response endedByPath = c.get(apiHost(), "/containers/" + token + "/");
            daemon.api().post("/v2/actor-runs/" + id + "/resurrect").expect(200);
            HttpConnection.Response again = c.get(containerHost(token), "/");

            assertEquals(404, ended.status());
            assertEquals(404, endedByPath.status());
            assertEquals(200, again.status(), again.text());
            assertEquals(HELLO, again.text());
        }
    }

    @Test
    void shouldAnswer404ToTenThousandGuessesWhileRunsServe() throws Exception {
        String token = token(startServer());
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(200, c.get(containerHost(token), "/").status());

            int notFound = Guesses.notFound(c, DOMAIN + ":" + listener.getPort(), apiHost(), 10_000, 4321);

            assertEquals(10_000, notFound);
            assertEquals(200, c.get(containerHost(token), "/").status());
        }
    }

    @Test
    void shouldServeContainerUrlsOnTheUnixSocket() throws Exception {
        String token = token(startServer());
        try (HttpConnection c = HttpConnection.unix(daemon.socket())) {
            HttpConnection.Response r = c.get(containerHost(token), "/");

            assertEquals(200, r.status(), r.text());
            assertEquals(HELLO, r.text());
        }
    }
}
