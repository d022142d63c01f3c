package io.actord.daemon.http;

import io.actord.daemon.access.Caller;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.RawHttp;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    /** #20 defect 19: once the daemon stops, a request on a connection still open gets 503, not the closing services. */
    @Test
    void shouldAnswer503OnceStopping() throws Exception {
        Path socket = dir.resolve("stop.sock");
        ApiServer.Config config = new ApiServer.Config(Optional.of(socket), Optional.empty(), 1024, 60, 1);
        Router router = new Router().get("/healthz", r -> ApiResponse.data(200, "ok"));
        try (ApiServer server = ApiServer.start(config, router, Runnable::run, Transports.detect(), ANYONE)) {
            String request = "GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
            assertTrue(RawHttp.unix(socket, request, new byte[0]).startsWith("HTTP/1.1 200"));
            server.stopAccepting();
            String refused = RawHttp.unix(socket, request, new byte[0]);
            assertTrue(refused.startsWith("HTTP/1.1 503"), refused);
            assertTrue(refused.contains("\"type\":\"service-unavailable\"") && refused.contains("stopping"), refused);
        }
    }

    /**
     * More long polls than the daemon has worker threads, all waiting at the daemon for a run that does not
     * end: the health check is answered while every one of them is still waiting, so none holds a worker.
     */
    @Test
    @Timeout(180)
    void shouldAnswerLongPollsWithoutHoldingWorkers() throws Exception {
        try (TestDaemon d = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1))) {
            String actor = d.actor("slow", "sleep", "1000");
            String id = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            int waiters = d.daemon().config().workerThreads() + 4;
            ExecutorService pool = Executors.newFixedThreadPool(waiters + 1);
            try {
                List<CompletableFuture<String>> polls = new ArrayList<>();
                for (int i = 0; i < waiters; i++) {
                    polls.add(CompletableFuture.supplyAsync(() -> d.api().get("/v2/actor-runs/" + id
                            + "?waitForFinish=60").data().get("status").asText(), pool));
                }
                awaitWaiting(d, id, waiters);

                CompletableFuture<String> health = CompletableFuture.supplyAsync(
                        () -> d.api().get("/healthz").expect(200).data().get("status").asText(), pool);
                List<CompletableFuture<?>> all = new ArrayList<>(polls);
                all.add(health);
                CompletableFuture.anyOf(all.toArray(CompletableFuture[]::new)).get();

                assertEquals("ok", health.getNow("not answered first"));
                assertEquals(List.of(), polls.stream().filter(CompletableFuture::isDone).toList(),
                        "no long poll was answered before the health check");
                assertEquals(waiters, d.daemon().runs().waitingForEnd(id), "all still wait after the health check");
                d.api().post("/v2/actor-runs/" + id + "/abort").expect(200);
                for (CompletableFuture<String> poll : polls) {
                    assertEquals("ABORTED", poll.get());
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Until {@code count} waitForFinish requests wait at the daemon for the run's end (a minute at most). */
    private static void awaitWaiting(TestDaemon d, String runId, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (d.daemon().runs().waitingForEnd(runId) < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, d.daemon().runs().waitingForEnd(runId), "long polls waiting at the daemon");
    }
}
