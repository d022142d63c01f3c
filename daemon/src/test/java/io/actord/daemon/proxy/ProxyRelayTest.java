package io.actord.daemon.proxy;

import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.MemoryProbe;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the proxy relays answers' bodies (the fake runtime's runs share the daemon's network namespace): byte
 * for byte whatever the framing, and with the client's pace setting how fast the run's server is read.
 */
class ProxyRelayTest {
    private static final String DOMAIN = "containers.test";

    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon(flags = {"--containers-domain", DOMAIN, "--container-wait-ms", "1000"})
    private TestDaemon daemon;

    /** The host-form Host header of a running run whose server is at {@code port}. */
    private String runServingOn(int port) throws Exception {
        String url = FakeRuns.servingOn(daemon, port).get("containerUrl").asText();
        return url.substring("http://".length(), url.length() - 1);
    }

    private InetSocketAddress listener() {
        return daemon.daemon().tcpAddress().orElseThrow();
    }

    @Test
    void shouldRelayContentLengthAndChunkedBodiesByteForByteOnOneKeptConnection() throws Exception {
        byte[] body = new byte[3 << 20];
        new Random(24).nextBytes(body);
        AtomicInteger requested = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            // It ends when the daemon closes its kept connection to it (after this test).
            Thread serving = new Thread(() -> serveRaw(server, body, requested), "raw-server");
            serving.setDaemon(true);
            serving.start();
            String host = runServingOn(server.getLocalPort());
            try (HttpConnection c = HttpConnection.tcp(listener())) {
                HttpConnection.Response fixed = c.get(host, "/fixed");
                HttpConnection.Response chunked = c.get(host, "/chunked");
                HttpConnection.Response again = c.get(host, "/fixed");

                assertEquals(200, fixed.status());
                assertEquals(Integer.toString(body.length), fixed.header("content-length"));
                assertArrayEquals(body, fixed.body());
                assertEquals("chunked", chunked.header("transfer-encoding"));
                assertArrayEquals(body, chunked.body());
                assertArrayEquals(body, again.body());
            }
        }
        assertEquals(1, requested.get(), "the three answers came on one connection to the run's server");
    }

    /**
     * Serves connections until the server socket closes; {@code requested} counts those that sent a request (the
     * daemon's readiness probe connects and sends nothing). Each request on a connection is answered: /fixed with
     * Content-Length, else chunked in uneven pieces.
     */
    private static void serveRaw(ServerSocket server, byte[] body, AtomicInteger requested) {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.ISO_8859_1));
                OutputStream out = s.getOutputStream();
                String line = in.readLine();
                if (line != null) {
                    requested.incrementAndGet();
                }
                for (; line != null; line = in.readLine()) {
                    answer(line.split(" ")[1], in, out, body);
                }
            } catch (IOException e) {
                // The proxy closed the connection, or the test is over and closed the server.
            }
        }
    }

    private static void answer(String path, BufferedReader in, OutputStream out, byte[] body) throws IOException {
        while (!in.readLine().isEmpty()) {
            // The request's headers.
        }
        if (path.equals("/fixed")) {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
        } else {
            out.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            for (int at = 0, size = 1; at < body.length; at += size, size = size * 3 + 7) {
                size = Math.min(size, body.length - at);
                out.write((Integer.toHexString(size) + ";piece=" + at + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.write(body, at, size);
                out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            }
            out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        out.flush();
    }

    @Test
    void shouldReadTheRunAtTheClientsPaceAndKeepBothConnectionsAfterALargePausedAnswer() throws Exception {
        try (TestWebServer web = new TestWebServer()) {
            String host = runServingOn(web.port());
            long size = 48L << 20;
            try (HttpConnection c = HttpConnection.tcp(listener())) {
                c.get(host, "/hello");
                MemoryProbe.Reading before = MemoryProbe.read();
                c.send("GET /bytes/" + size + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n");
                HttpConnection.Response head = c.readHead();
                MemoryProbe.Reading[] during = new MemoryProbe.Reading[1];
                c.readBody(head, 0, 4 << 20, Duration.ofMillis(500), () -> during[0] = MemoryProbe.read().minus(before));
                HttpConnection.Response next = c.get(host, "/hello");

                System.out.println("ProxyRelayTest: 48 MB answer, growth while the client paused: " + during[0]);
                assertEquals(200, head.status());
                assertTrue(during[0].totalBytes() < 16L << 20, "the daemon held " + during[0] + " of a paused answer");
                assertEquals(TestWebServer.HELLO, next.text(), "the connection goes on after the large answer");
            }
            assertEquals(1, web.connections(), "the run's connection was kept through the paused answer");
        }
    }
}
