package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.testing.RawHttp;
import io.netty.handler.codec.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The API's TCP connection limits and request-head deadline (#20, defect 6), on real sockets. Needs no root.
 * Each refusal is checked as a client sees it, and so is what must still work beside it.
 */
class ConnectionLimitsIT {
    private static final Authenticator ANYONE = (listener, runId, headers, query) -> Caller.anonymous();
    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    Path dir;

    private final Router router = new Router().get("/healthz", r -> ApiResponse.data(200, "ok"))
            .add(HttpMethod.GET, "/slow", r -> CompletableFuture.supplyAsync(() -> ApiResponse.data(200, "slow"),
                    CompletableFuture.delayedExecutor(2500, java.util.concurrent.TimeUnit.MILLISECONDS)));

    @Test
    @Timeout(60)
    void shouldRefuseConnectionsOverThePerAddressLimitAndAdmitAgainWhenOneCloses() throws Exception {
        try (ApiServer server = start(new ConnectionLimits(3, 100, 30))) {
            InetSocketAddress tcp = server.tcpAddress().orElseThrow();
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    held.add(answered(tcp));
                }

                String refused = readAll(connect(tcp));
                assertTrue(refused.startsWith("HTTP/1.1 503 "), refused);
                assertTrue(refused.contains("\"type\":\"service-unavailable\""), refused);
                assertTrue(refused.contains("(3)"), "names the limit: " + refused);

                held.remove(0).close();
                held.add(admittedAgain(tcp));
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void shouldKeepTheAdminSocketAnsweringWhenTcpIsFull() throws Exception {
        try (ApiServer server = start(new ConnectionLimits(100, 2, 30))) {
            InetSocketAddress tcp = server.tcpAddress().orElseThrow();
            try (Socket a = answered(tcp); Socket b = answered(tcp)) {
                String refused = readAll(connect(tcp));
                assertTrue(refused.startsWith("HTTP/1.1 503 "), refused);
                assertTrue(refused.contains("as many connections as it allows (2)"), refused);

                String admin = RawHttp.unix(server.socketPath().orElseThrow(),
                        "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", new byte[0]);
                assertTrue(admin.startsWith("HTTP/1.1 200"), admin);
            }
        }
    }

    /** Without the deadline the trickle would go on for its whole 30 s and the connection stay open. */
    @Test
    @Timeout(60)
    void shouldCloseAConnectionWhoseHeadTricklesIn() throws Exception {
        try (ApiServer server = start(new ConnectionLimits(100, 100, 1));
             Socket s = connect(server.tcpAddress().orElseThrow())) {
            OutputStream out = s.getOutputStream();
            out.write("GET /healthz HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(200);
            boolean closed = false;
            for (int i = 0; i < 150 && !closed; i++) {
                try {
                    out.write(("X-Trickle-" + i + ": 1\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    closed = s.getInputStream().read() == -1;
                } catch (SocketTimeoutException stillOpen) {
                    closed = false;
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertTrue(closed, "the server closed the connection whose head never ended");
        }
    }

    /**
     * The deadline is for a head in progress only: a connection may wait longer than it before its next request,
     * and a request may take longer than it to be answered.
     */
    @Test
    @Timeout(60)
    void shouldLeaveTheWaitBetweenRequestsAndARequestInProgressAlone() throws Exception {
        try (ApiServer server = start(new ConnectionLimits(100, 100, 1));
             Socket s = connect(server.tcpAddress().orElseThrow())) {
            Thread.sleep(2500);
            assertTrue(exchange(s, HEALTH).startsWith("HTTP/1.1 200"), "answered after an idle wait");
            Thread.sleep(2500);
            String slow = exchange(s, "GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(slow.startsWith("HTTP/1.1 200") && slow.contains("\"data\":\"slow\""), slow);
            assertTrue(exchange(s, HEALTH).startsWith("HTTP/1.1 200"), "the connection is still usable");
        }
    }

    private ApiServer start(ConnectionLimits limits) {
        ApiServer.Config config = new ApiServer.Config(Optional.of(dir.resolve("api.sock")),
                Optional.of(new InetSocketAddress("127.0.0.1", 0)), 1024, 60, 1, limits);
        return ApiServer.start(config, router, Runnable::run, Transports.detect(), ANYONE);
    }

    private static Socket connect(InetSocketAddress tcp) throws IOException {
        Socket s = new Socket(tcp.getAddress(), tcp.getPort());
        s.setSoTimeout((int) Duration.ofSeconds(20).toMillis());
        return s;
    }

    /** A connection that was admitted: its first request is answered, and it stays open. */
    private static Socket answered(InetSocketAddress tcp) throws IOException {
        Socket s = connect(tcp);
        String response = exchange(s, HEALTH);
        assertTrue(response.startsWith("HTTP/1.1 200"), response);
        return s;
    }

    /** The server counts a closed connection out when it sees the close: until then a new one may be refused. */
    private static Socket admittedAgain(InetSocketAddress tcp) throws IOException, InterruptedException {
        String last = "";
        for (int i = 0; i < 100; i++) {
            Socket s = connect(tcp);
            last = exchange(s, HEALTH);
            if (last.startsWith("HTTP/1.1 200")) {
                return s;
            }
            s.close();
            Thread.sleep(50);
        }
        throw new AssertionError("no connection admitted after one closed: " + last);
    }

    /** Sends one request and reads one response whose body is small and has a Content-Length. */
    private static String exchange(Socket s, String request) throws IOException {
        s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return head.toString();
            }
            head.append((char) b);
        }
        int length = head.toString().lines().filter(l -> l.toLowerCase().startsWith("content-length:"))
                .map(l -> Integer.parseInt(l.substring(15).strip())).findFirst().orElse(0);
        return head + new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    private static String readAll(Socket s) throws IOException {
        try (s) {
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
