package io.actord.daemon.state;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Killing PostgreSQL under load (#25): a daemon on a server of this test's own ({@link PostgresServer#startOwn}, so
 * the JVM's shared server and the other tests are not touched) takes dataset pushes and request-queue batches from
 * a few clients and has two runs going; the server is killed ({@code pg_ctl stop -m immediate}) while they go on.
 * During the outage requests are answered 503 {@code state-unavailable} naming the database, {@code /readyz} says
 * not ready, and the runs' containers exit. Once the server is back (the same daemon, no restart) it serves again,
 * every acknowledged item and request is there exactly once, a batch not acknowledged is there whole or not at all,
 * and the runs have the status their exits gave them.
 */
class PostgresOutageIT {
    private static final int WRITERS = 3;
    private static final int BATCH = 10;
    private static PostgresServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void startServer() {
        try {
            server = PostgresServer.startOwn();
        } catch (IOException e) {
            System.out.println("SKIPPED PostgresOutageIT: " + e.getMessage());
            Assumptions.abort(e.getMessage());
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void shouldAnswer503WhileTheDatabaseIsDownAndRecoverWithoutLosingAcknowledgedWrites() throws Exception {
        FakeRuntime runtime = new FakeRuntime();
        String database = server.createDatabase("outage");
        try (TestDaemon d = TestDaemon.start(dir, runtime, Duration.ofSeconds(1), List.of("--state", database))) {
            String dataset = d.api().post("/v2/datasets?name=outage").expect(201).data().get("id").asText();
            String queue = d.api().post("/v2/request-queues?name=outage").expect(201).data().get("id").asText();
            String actor = d.actor("long", "sleep", "3600");
            String succeeds = startRun(d, actor);
            String fails = startRun(d, actor);
            runtime.awaitCreated(2, Duration.ofSeconds(10));

            Load load = new Load(d.api(), dataset, queue);
            load.prepare().start();
            load.awaitAcknowledged(20);
            server.kill();
            load.await503();

            TestDaemon.Response refused = d.api().get("/v2/datasets/" + dataset);
            assertEquals(503, refused.status(), refused.text());
            assertEquals("state-unavailable", refused.errorType());
            String message = refused.json().get("error").get("message").asText();
            assertTrue(message.contains("state database") && message.contains(PostgresLocation.parse(database)
                    .toString()), message);
            assertEquals(503, TestDaemon.unixGet(d.socket(), "/readyz").status());
            runtime.containersOf(succeeds).get(0).exit(ExitStatus.exited(0));
            runtime.containersOf(fails).get(0).exit(ExitStatus.exited(3));
            Thread.sleep(1_000);

            server.restart();
            long back = System.nanoTime();
            awaitServing(d, dataset);
            System.out.printf("PostgresOutageIT: serving again %d ms after the server's restart; during the outage"
                    + " %d answers 503, %d other failures%n", (System.nanoTime() - back) / 1_000_000,
                    load.unavailable.get(), load.others.size());
            load.stop();
            assertEquals(List.of(), load.others, "no answer but 2xx and 503 state-unavailable");
            TestDaemon.unixGet(d.socket(), "/readyz").expect(200);
            assertEquals("SUCCEEDED", TestRuns.awaitStatus(d.api(), succeeds, "SUCCEEDED").get("status").asText());
            assertEquals(3, TestRuns.awaitStatus(d.api(), fails, "FAILED").get("exitCode").asInt());

            checkItems(d, dataset, load);
            checkRequests(d, queue, load);
        }
    }

    private static String startRun(TestDaemon d, String actor) {
        return d.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
    }

    private static void awaitServing(TestDaemon d, String dataset) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (d.api().get("/v2/datasets/" + dataset).status() != 200) {
            assertTrue(System.nanoTime() < deadline, "the daemon did not serve again within 60 s of the restart");
            Thread.sleep(50);
        }
    }

    /** Every acknowledged batch once; every other batch whole or not at all; no item twice. */
    private static void checkItems(TestDaemon d, String dataset, Load load) {
        JsonNode items = d.api().get("/v2/datasets/" + dataset + "/items").expect(200).json();
        Map<String, Integer> perBatch = new HashMap<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        for (JsonNode item : items) {
            String key = item.get("b").asText() + "/" + item.get("i").asInt();
            assertTrue(seen.add(key), "item " + key + " is stored twice");
            perBatch.merge(item.get("b").asText(), 1, Integer::sum);
        }
        for (String batch : load.pushed) {
            assertEquals(BATCH, perBatch.getOrDefault(batch, 0), "acknowledged batch " + batch);
        }
        perBatch.forEach((batch, n) -> assertEquals(BATCH, n, "batch " + batch + " is half-written"));
        assertEquals(items.size(), d.api().get("/v2/datasets/" + dataset).expect(200).data().get("itemCount").asInt(),
                "the item count agrees with the items");
        System.out.printf("PostgresOutageIT: %d items stored, %d batches acknowledged%n", items.size(),
                load.pushed.size());
    }

    private static void checkRequests(TestDaemon d, String queue, Load load) {
        List<JsonNode> listed = new ArrayList<>();
        String cursor = null;
        do {
            JsonNode page = d.api().get("/v2/request-queues/" + queue + "/requests?limit=10000" + (cursor == null ? ""
                    : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8))).expect(200).data();
            page.get("items").forEach(listed::add);
            cursor = page.path("nextCursor").isTextual() ? page.get("nextCursor").asText() : null;
        } while (cursor != null);
        Map<String, Integer> perBatch = new HashMap<>();
        Set<String> keys = ConcurrentHashMap.newKeySet();
        for (JsonNode request : listed) {
            String key = request.get("uniqueKey").asText();
            assertTrue(keys.add(key), "request " + key + " is stored twice");
            perBatch.merge(key.substring(0, key.lastIndexOf('/')), 1, Integer::sum);
        }
        for (String batch : load.added) {
            assertEquals(BATCH, perBatch.getOrDefault(batch, 0), "acknowledged request batch " + batch);
        }
        perBatch.forEach((batch, n) -> assertEquals(BATCH, n, "request batch " + batch + " is half-written"));
        assertEquals(listed.size(), d.api().get("/v2/request-queues/" + queue).expect(200).data()
                .get("totalRequestCount").asInt(), "the request count agrees with the requests");
    }

    /** Clients pushing batches of items and of requests, each batch named, until stopped. */
    private static final class Load {
        private final TestDaemon.Api api;
        private final String dataset;
        private final String queue;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();
        private final List<String> pushed = new CopyOnWriteArrayList<>();
        private final List<String> added = new CopyOnWriteArrayList<>();
        private final AtomicInteger unavailable = new AtomicInteger();
        private final List<String> others = new CopyOnWriteArrayList<>();

        Load(TestDaemon.Api api, String dataset, String queue) {
            this.api = api;
            this.dataset = dataset;
            this.queue = queue;
        }

        void start() {
            threads.forEach(Thread::start);
        }

        Load prepare() {
            for (int w = 0; w < WRITERS; w++) {
                int writer = w;
                threads.add(new Thread(() -> loop("i" + writer, true), "outage-items-" + w));
                threads.add(new Thread(() -> loop("r" + writer, false), "outage-requests-" + w));
            }
            return this;
        }

        private void loop(String writer, boolean items) {
            for (int n = 0; running.get(); n++) {
                String batch = writer + "-" + n;
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < BATCH; i++) {
                    body.append(i == 0 ? "" : ",").append(items ? "{\"b\":\"" + batch + "\",\"i\":" + i + "}"
                            : "{\"url\":\"http://192.0.2.1/" + batch + "/" + i + "\",\"uniqueKey\":\"" + batch + "/"
                            + i + "\"}");
                }
                TestDaemon.Response r;
                try {
                    r = api.post(items ? "/v2/datasets/" + dataset + "/items" : "/v2/request-queues/" + queue
                            + "/requests/batch", body.append("]").toString());
                } catch (IllegalStateException e) {
                    others.add(batch + ": " + e.getMessage());
                    continue;
                }
                if (r.status() == 201 && (items || r.data().get("unprocessedRequests").isEmpty())) {
                    (items ? pushed : added).add(batch);
                } else if (r.status() == 503 && r.errorType().equals("state-unavailable")) {
                    unavailable.incrementAndGet();
                } else {
                    others.add(batch + ": " + r.status() + " " + r.text());
                }
            }
        }

        void awaitAcknowledged(int n) throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (pushed.size() + added.size() < n) {
                assertTrue(System.nanoTime() < deadline, "not " + n + " batches acknowledged in 30 s: " + others);
                Thread.sleep(10);
            }
        }

        void await503() throws InterruptedException {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (unavailable.get() == 0) {
                assertTrue(System.nanoTime() < deadline, "no 503 within 30 s of the kill: " + others);
                Thread.sleep(10);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread t : threads) {
                t.join();
            }
        }
    }
}
