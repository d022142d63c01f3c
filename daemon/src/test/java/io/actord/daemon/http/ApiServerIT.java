package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.RawHttp;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API on real sockets: a Unix socket in a temp directory and 127.0.0.1 on a free port. Needs no root. */
class ApiServerIT {
    private static final Authenticator ANYONE = (listener, runId, headers, query) -> Caller.anonymous();

    @TempDir
    Path dir;

    @Test
    void shouldServeTheSameApiOnTheUnixSocketAndTcp() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1))) {
            String actor = d.actor("both", "exit", "0");
            String viaUnix = RawHttp.unix(d.socket(), "GET /v2/acts/" + actor + " HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n", new byte[0]);
            assertTrue(viaUnix.startsWith("HTTP/1.1 200"), viaUnix);
            assertTrue(viaUnix.contains("\"name\":\"both\""), viaUnix);
            String viaTcp = RawHttp.tcp(d.daemon().tcpAddress().orElseThrow(), "GET /v2/acts/" + actor
                    + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + d.token() + "\r\nConnection: close\r\n\r\n",
                    new byte[0]);
            assertEquals(viaUnix.substring(viaUnix.indexOf("\r\n\r\n")), viaTcp.substring(viaTcp.indexOf("\r\n\r\n")));
            assertEquals("rw-rw----", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.socket())));
        }
        assertFalse(Files.exists(dir.resolve("api.sock")), "the socket file goes with the daemon");
    }

    @Test
    void shouldReplaceAStaleSocketFileButNotALiveOne() throws Exception {
        Path socket = dir.resolve("api.sock");
        Files.writeString(socket, "left by a killed daemon");
        ApiServer.Config config = new ApiServer.Config(Optional.of(socket), Optional.empty(), 1024, 60, 1);
        Router router = new Router().get("/healthz", r -> ApiResponse.data(200, "ok"));
        try (ApiServer server = ApiServer.start(config, router, Runnable::run, Transports.detect(), ANYONE)) {
            assertEquals(Optional.of(socket), server.socketPath());
            assertTrue(RawHttp.unix(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    new byte[0]).contains("\"data\":\"ok\""));
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> ApiServer.start(config, router, Runnable::run, Transports.detect(), ANYONE));
            assertTrue(e.getMessage().contains("listening on"), e.getMessage());
            assertTrue(RawHttp.unix(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    new byte[0]).contains("\"data\":\"ok\""), "the first server still serves");
        }
    }

    @Test
    void shouldServeTheUnixSocketWithNioToo() throws Exception {
        Path socket = dir.resolve("nio.sock");
        ApiServer.Config config = new ApiServer.Config(Optional.of(socket), Optional.of(
                new java.net.InetSocketAddress("127.0.0.1", 0)), 1024, 60, 1);
        Router router = new Router().get("/healthz", r -> ApiResponse.data(200, "ok"));
        try (ApiServer server = ApiServer.start(config, router, Runnable::run, Transports.nio(), ANYONE)) {
            assertTrue(RawHttp.unix(socket, "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
                    new byte[0]).contains("\"data\":\"ok\""));
            assertTrue(RawHttp.tcp(server.tcpAddress().orElseThrow(), "GET /healthz HTTP/1.1\r\nHost: x\r\n"
                    + "Connection: close\r\n\r\n", new byte[0]).contains("\"data\":\"ok\""));
        }
    }

    @Test
    void shouldAnswerLongPollsWithoutHoldingWorkers() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1))) {
            String actor = d.actor("slow", "sleep", "2");
            String id = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            int waiters = d.daemon().config().workerThreads() + 4;
            var pool = java.util.concurrent.Executors.newFixedThreadPool(waiters);
            try {
                var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
                for (int i = 0; i < waiters; i++) {
                    futures.add(pool.submit(() -> d.api().get("/v2/actor-runs/" + id + "?waitForFinish=30").data()
                            .get("status").asText()));
                }
                long t0 = System.nanoTime();
                d.api().get("/healthz").expect(200);
                assertTrue((System.nanoTime() - t0) / 1_000_000 < 1000, "the API answers while runs are awaited");
                for (var f : futures) {
                    assertEquals("SUCCEEDED", f.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
