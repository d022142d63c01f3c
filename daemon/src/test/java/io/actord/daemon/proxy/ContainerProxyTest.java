package io.actord.daemon.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.MemoryProbe;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The container-URL proxy on the fake runtime: the runs share the daemon's network namespace, and their
 * "server" is a {@link TestWebServer} on host loopback, at the port the build's ACTOR_WEB_SERVER_PORT names.
 * The same through real network namespaces is {@code ContainerProxyIT}.
 */
class ContainerProxyTest {
    private static final String DOMAIN = "containers.test";

    private TestWebServer web;
    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon(flags = {"--containers-domain", DOMAIN, "--container-wait-ms", "1000"})
    private TestDaemon daemon;
    private InetSocketAddress listener;

    @BeforeEach
    void start() {
        web = new TestWebServer();
        listener = daemon.daemon().tcpAddress().orElseThrow();
    }

    @AfterEach
    void stop() {
        web.close();
    }

    /** A running run whose server is at {@code port}. */
    private JsonNode runServingOn(int port) throws Exception {
        return FakeRuns.servingOn(daemon, port);
    }

    private static String token(JsonNode run) {
        String url = run.get("containerUrl").asText();
        return url.substring("http://".length(), url.indexOf('.'));
    }

    private String apiHost() {
        return "127.0.0.1:" + listener.getPort();
    }

    private String containerHost(String token) {
        return token + "." + DOMAIN + ":" + listener.getPort();
    }

    @Test
    void shouldGiveEachRunAnUnguessableHostFormUrlAlsoInItsEnvironment() throws Exception {
        JsonNode first = runServingOn(web.port());
        JsonNode second = runServingOn(web.port());

        assertTrue(first.get("containerUrl").asText().matches("http://[a-z0-9]{" + ContainerUrls.TOKEN_LENGTH
                + "}\\." + DOMAIN.replace(".", "\\.") + ":" + listener.getPort() + "/"), first.toString());
        assertNotEquals(token(first), token(second));
        assertEquals(second.get("containerUrl").asText(), runtime.last().spec().env().get("APIFY_CONTAINER_URL"));
        assertEquals(second.get("containerUrl").asText(), runtime.last().spec().env().get("ACTOR_WEB_SERVER_URL"));
        assertEquals(Integer.toString(web.port()), runtime.last().spec().env().get("APIFY_CONTAINER_PORT"));
    }

    @Test
    void shouldServeTheHostFormOnOneKeptAliveConnectionReusingTheRunsConnection() throws Exception {
        String token = token(runServingOn(web.port()));
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response first = c.get(containerHost(token), "/hello");
            HttpConnection.Response second = c.get(containerHost(token), "/hello");

            assertEquals(200, first.status());
            assertEquals(TestWebServer.HELLO, first.text());
            assertEquals(200, second.status());
            assertEquals(TestWebServer.HELLO, second.text());
        }
        assertEquals(1, web.connections(), "the second request reused the connection to the run's server");
    }

    /** #20 defect 7: with a containers domain a run is served only on its own host name, not on the API's origin. */
    @Test
    void shouldSendThePathFormToTheRunsHostNameInsteadOfServingItOnTheApisOrigin() throws Exception {
        JsonNode run = runServingOn(web.port());
        String token = token(run);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response get = c.get(apiHost(), "/containers/" + token + "/hello?x=1");
            HttpConnection.Response post = c.send("POST /containers/" + token + "/echo HTTP/1.1\r\nHost: " + apiHost()
                    + "\r\nContent-Length: 5\r\n\r\nhello").read();
            HttpConnection.Response byHost = c.get(containerHost(token), "/hello");

            assertEquals(308, get.status(), "a permanent redirect that keeps the method");
            assertEquals(run.get("containerUrl").asText() + "hello?x=1", get.header("location"));
            assertEquals(308, post.status());
            assertEquals(run.get("containerUrl").asText() + "echo", post.header("location"));
            assertEquals(TestWebServer.HELLO, byHost.text(), "the same connection goes on");
        }
        assertEquals(1, web.connections(), "only the host-form request reached the run's server");
    }

    @Test
    void shouldRelayAnInterimAnswerThenTheFinalOneAndKeepTheConnection() throws Exception {
        String token = token(runServingOn(web.port()));
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response interim = c.send("POST /echo HTTP/1.1\r\nHost: " + containerHost(token) + "\r\n"
                    + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n").readHead();
            HttpConnection.Response echo = c.send("hello").read();
            HttpConnection.Response next = c.get(containerHost(token), "/hello");

            assertEquals(100, interim.status());
            assertEquals(200, echo.status());
            assertEquals("hello", echo.text());
            assertEquals(TestWebServer.HELLO, next.text());
            assertEquals(1, web.connections(), "the run's connection was kept after the exchange");
        }
    }

    @Test
    void shouldRelayWhatTheServerSendsWithItsSwitchingProtocolsAnswer() throws Exception {
        String token = token(runServingOn(web.port()));
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response head = c.send(upgrade(token, "/upgrade")).readHead();
            String greeting = new String(c.stream().readNBytes(TestWebServer.GREETING.length()), StandardCharsets.UTF_8);
            c.send("ping\n");
            String echo = new String(c.stream().readNBytes(5), StandardCharsets.UTF_8);

            assertEquals(101, head.status());
            assertEquals(TestWebServer.GREETING, greeting);
            assertEquals("ping\n", echo);
            assertEquals(1, web.open());
        }
        assertTrue(eventually(() -> web.open() == 0), "the client left: the run's side of the tunnel closed too");
    }

    @Test
    void shouldRelayAnUpgradedConnectionAtTheClientsPaceAndEndItWithTheServer() throws Exception {
        String token = token(runServingOn(web.port()));
        long size = 64L << 20;
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            c.get(containerHost(token), "/hello");
            MemoryProbe.Reading before = MemoryProbe.read();
            HttpConnection.Response head = c.send(upgrade(token, "/upgrade/" + size)).readHead();
            long read = c.stream().readNBytes(1 << 20).length;
            Thread.sleep(500);
            MemoryProbe.Reading during = MemoryProbe.read().minus(before);
            read += c.stream().transferTo(OutputStream.nullOutputStream());

            System.out.println("ContainerProxyTest: 64 MB through a tunnel, growth while the client paused: " + during);
            assertEquals(101, head.status());
            assertEquals(size, read, "every byte, then the end of the connection");
            assertTrue(during.totalBytes() < 16L << 20, "the daemon held " + during + " of a paused tunnel");
        }
    }

    private String upgrade(String token, String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: " + containerHost(token) + "\r\n"
                + "Connection: upgrade\r\nUpgrade: echo\r\n\r\n";
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        return condition.getAsBoolean();
    }

    @Test
    void shouldStreamALargeAnswerWithoutHoldingItInMemory() throws Exception {
        String token = token(runServingOn(web.port()));
        long size = 64L << 20;
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            c.get(containerHost(token), "/hello");
            MemoryProbe.Reading before = MemoryProbe.read();
            c.send("GET /bytes/" + size + " HTTP/1.1\r\nHost: " + containerHost(token) + "\r\n\r\n");
            HttpConnection.Response head = c.readHead();
            MemoryProbe.Reading[] during = new MemoryProbe.Reading[1];
            long kept = c.readBody(head, 0, 1 << 20, Duration.ofMillis(500), () -> {
                during[0] = MemoryProbe.read().minus(before);
            }).length;

            System.out.println("ContainerProxyTest: 64 MB answer, growth while the client paused: " + during[0]);
            assertEquals(200, head.status());
            assertEquals(0, kept);
            assertTrue(during[0].totalBytes() < 16L << 20, "the daemon held " + during[0] + " of a paused answer");
        }
    }

    @Test
    void shouldAnswer404ToTenThousandGuessedTokens() throws Exception {
        runServingOn(web.port());
        runServingOn(web.port());
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(10_000, Guesses.notFound(c, DOMAIN + ":" + listener.getPort(), apiHost(), 10_000, 42));
        }
    }

    @Test
    void shouldStopServingWhenTheRunEndsAndServeTheSameUrlAfterResurrect() throws Exception {
        JsonNode run = runServingOn(web.port());
        String id = run.get("id").asText();
        String token = token(run);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(200, c.get(containerHost(token), "/hello").status());

            daemon.api().post("/v2/actor-runs/" + id + "/abort").expect(200);
            HttpConnection.Response ended = c.get(containerHost(token), "/hello");
            HttpConnection.Response endedByPath = c.get(apiHost(), "/containers/" + token + "/hello");
            daemon.api().post("/v2/actor-runs/" + id + "/resurrect").expect(200);
            HttpConnection.Response again = c.get(containerHost(token), "/hello");

            assertEquals(404, ended.status());
            assertEquals(404, endedByPath.status());
            assertEquals(200, again.status(), again.text());
            assertEquals(TestWebServer.HELLO, again.text());
            assertEquals(run.get("containerUrl"), daemon.api().get("/v2/actor-runs/" + id).data().get("containerUrl"));
        }
    }

    @Test
    void shouldAnswer502WhenNothingListensAndKeepTheConnection() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        JsonNode run = runServingOn(closedPort);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response r = c.get(containerHost(token(run)), "/");
            HttpConnection.Response api = c.get(apiHost(), "/v2/actor-runs/" + run.get("id").asText() + "?token=" + daemon.token());

            assertEquals(502, r.status());
            assertTrue(r.text().contains("nothing listens on port " + closedPort), r.text());
            assertEquals(200, api.status(), "the API still answers on the same connection");
        }
    }

    /** RFC 9112 6.3: a Transfer-Encoding other than chunked cannot be framed; it was forwarded with its Content-Length. */
    @Test
    void shouldRefuseAnUnknownTransferEncodingInsteadOfForwardingIt() throws Exception {
        String token = token(runServingOn(web.port()));
        for (String te : List.of("xchunked", "chunked, identity", "gzip, chunked")) {
            try (HttpConnection c = HttpConnection.tcp(listener)) {
                HttpConnection.Response r = c.send("POST /echo HTTP/1.1\r\nHost: " + containerHost(token) + "\r\n"
                        + "Content-Length: 5\r\nTransfer-Encoding: " + te + "\r\n\r\nhello").read();

                assertEquals(400, r.status(), te);
                assertTrue(c.closedByServer(), te);
            }
        }
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response r = c.send("POST /echo HTTP/1.0\r\nHost: " + containerHost(token) + "\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n").read();
            assertEquals(400, r.status(), "Transfer-Encoding on HTTP/1.0");
        }
        assertEquals(0, web.connections(), "nothing reached the run's server");
    }

    @Test
    void shouldAnswerPipelinedRequestsInOrderAndMixWithTheApi() throws Exception {
        JsonNode run = runServingOn(web.port());
        String token = token(run);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            String host = "Host: " + containerHost(token) + "\r\n\r\n";
            c.send("GET /bytes/100000 HTTP/1.1\r\n" + host + "GET /hello HTTP/1.1\r\n" + host
                    + "HEAD /hello HTTP/1.1\r\n" + host);
            HttpConnection.Response bytes = c.read();
            HttpConnection.Response hello = c.read();
            HttpConnection.Response head = c.readHead();
            HttpConnection.Response api = c.get(apiHost(), "/v2/actor-runs/" + run.get("id").asText() + "?token=" + daemon.token());

            assertEquals(100_000, bytes.body().length);
            assertEquals(TestWebServer.HELLO, hello.text());
            assertEquals(200, head.status());
            assertEquals(200, api.status());
            assertTrue(api.text().contains(token), api.text());
        }
    }

    @Test
    void shouldEndAnAnswerThatTheServerEndsByClosing() throws Exception {
        String token = token(runServingOn(web.port()));
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response r = c.get(containerHost(token), "/close");

            assertEquals(200, r.status());
            assertEquals(TestWebServer.HELLO, r.text());
        }
    }

    @Test
    void shouldServeContainerUrlsOnTheUnixSocketToo() throws Exception {
        String token = token(runServingOn(web.port()));
        try (HttpConnection c = HttpConnection.unix(daemon.socket())) {
            HttpConnection.Response r = c.get(containerHost(token), "/hello");

            assertEquals(200, r.status());
            assertEquals(TestWebServer.HELLO, r.text());
        }
    }
}
