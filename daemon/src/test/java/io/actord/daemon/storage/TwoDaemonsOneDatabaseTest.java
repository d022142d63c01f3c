package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two daemons on one PostgreSQL database (#25): clients of both write the same named dataset and the same named
 * request queue at once, as apify-client does, and nothing is lost, counted twice or handled twice, and no client
 * sees a 5xx. Runs of both daemons on the shared storages: TwoDaemonsRunsIT (privileged); whose runs a daemon
 * settles: RunOwnershipTest.
 */
class TwoDaemonsOneDatabaseTest {
    private static final int ITEMS_PER_WRITER = 500;
    private static final int BATCH = 50;
    private static final int REQUESTS = 500;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    private TestDaemon one;
    private TestDaemon two;
    private final Queue failures = new Queue();

    /** The answers no client should have had. */
    private static final class Queue extends ConcurrentLinkedQueue<String> {
        private static final long serialVersionUID = 1L;
    }

    @BeforeEach
    void startBoth() {
        List<String> state = List.of("--state", PG.database("two_daemons"));
        one = TestDaemon.start(dirOne, new FakeRuntime(), Duration.ofSeconds(5), state);
        two = TestDaemon.start(dirTwo, new FakeRuntime(), Duration.ofSeconds(5), state);
    }

    @AfterEach
    void stopBoth() {
        two.close();
        one.close();
    }

    @Test
    void shouldKeepEveryItemOfBothDaemonsInOneOrder() throws Exception {
        String id = ok(one.api().post("/v2/datasets?name=shared", "")).data().get("id").asText();
        assertEquals(id, ok(two.api().post("/v2/datasets?name=shared", "")).data().get("id").asText());
        List<Callable<Void>> writers = new ArrayList<>();
        for (TestDaemon d : List.of(one, two)) {
            String name = d == one ? "one" : "two";
            writers.add(() -> {
                for (int i = 0; i < ITEMS_PER_WRITER; i += BATCH) {
                    StringBuilder batch = new StringBuilder("[");
                    for (int n = i; n < i + BATCH; n++) {
                        batch.append(n == i ? "" : ",").append(item(name + "-batch", n));
                    }
                    ok(d.api().post("/v2/datasets/shared/items", batch + "]"));
                }
                return null;
            });
            writers.add(() -> {
                for (int n = 0; n < ITEMS_PER_WRITER; n++) {
                    ok(d.api().post("/v2/datasets/" + id + "/items", item(name + "-single", n)));
                }
                return null;
            });
        }
        runTogether(writers);
        assertTrue(failures.isEmpty(), () -> "answers no client should get: " + failures);

        int total = 4 * ITEMS_PER_WRITER;
        List<String> seen = new ArrayList<>();
        for (TestDaemon d : List.of(one, two)) {
            assertEquals(total, ok(d.api().get("/v2/datasets/" + id)).data().get("itemCount").asInt());
            JsonNode items = ok(d.api().get("/v2/datasets/" + id + "/items?limit=" + (total + 10))).json();
            List<String> order = new ArrayList<>();
            items.forEach(it -> order.add(it.get("w").asText() + ":" + it.get("n").asInt()));
            if (seen.isEmpty()) {
                seen.addAll(order);
            }
            assertEquals(seen, order, "both daemons list the items in one order");
        }
        assertEquals(total, new HashSet<>(seen).size(), "no item is lost or stored twice");
        for (String writer : List.of("one-batch", "one-single", "two-batch", "two-single")) {
            List<Integer> mine = seen.stream().filter(s -> s.startsWith(writer + ":"))
                    .map(s -> Integer.parseInt(s.substring(writer.length() + 1))).toList();
            assertEquals(ITEMS_PER_WRITER, mine.size(), writer);
            for (int n = 0; n < mine.size(); n++) {
                assertEquals(n, mine.get(n), writer + "'s items keep the order it pushed them in");
            }
        }
    }

    @Test
    void shouldHandleEveryRequestOnceBetweenBothDaemons() throws Exception {
        String id = ok(one.api().post("/v2/request-queues?name=shared", "")).data().get("id").asText();
        assertEquals(id, ok(two.api().post("/v2/request-queues?name=shared", "")).data().get("id").asText());
        // one adds requests 0..299 in batches, two adds 200..499 singly: 200..299 twice, from both at once
        runTogether(List.of(() -> {
            for (int i = 0; i < 300; i += 25) {
                StringBuilder batch = new StringBuilder("[");
                for (int n = i; n < i + 25; n++) {
                    batch.append(n == i ? "" : ",").append(request(n));
                }
                ok(one.api().post("/v2/request-queues/" + id + "/requests/batch?clientKey=adder1", batch + "]"));
            }
            return null;
        }, () -> {
            for (int n = 200; n < REQUESTS; n++) {
                ok(two.api().post("/v2/request-queues/shared/requests?clientKey=adder2", request(n)));
            }
            return null;
        }));
        for (TestDaemon d : List.of(one, two)) {
            JsonNode q = ok(d.api().get("/v2/request-queues/" + id)).data();
            assertEquals(REQUESTS, q.get("totalRequestCount").asInt(), q.toString());
            assertEquals(REQUESTS, q.get("pendingRequestCount").asInt(), q.toString());
        }

        Map<String, String> handledBy = new ConcurrentHashMap<>();
        List<String> twice = new ArrayList<>();
        List<Callable<Void>> clients = new ArrayList<>();
        for (TestDaemon d : List.of(one, two)) {
            for (int c = 0; c < 2; c++) {
                String key = (d == one ? "one" : "two") + c;
                clients.add(() -> {
                    handle(d.api(), id, key, handledBy, twice);
                    return null;
                });
            }
        }
        runTogether(clients);
        assertTrue(failures.isEmpty(), () -> "answers no client should get: " + failures);
        assertTrue(twice.isEmpty(), () -> "handled twice: " + twice);
        assertEquals(REQUESTS, handledBy.size(), "every request was handled");
        Set<String> clientsThatWorked = new HashSet<>(handledBy.values());
        for (TestDaemon d : List.of(one, two)) {
            JsonNode q = ok(d.api().get("/v2/request-queues/" + id)).data();
            assertEquals(REQUESTS, q.get("handledRequestCount").asInt(), q.toString());
            assertEquals(0, q.get("pendingRequestCount").asInt(), q.toString());
        }
        System.out.println("two daemons: requests handled per client " + clientsThatWorked.stream()
                .map(k -> k + "=" + handledBy.values().stream().filter(k::equals).count()).toList());
    }

    /** A crawler's loop: lock part of the head, mark each request handled, until the queue is done. */
    private void handle(Api api, String queue, String clientKey, Map<String, String> handledBy, List<String> twice) {
        for (int round = 0; round < 10 * REQUESTS; round++) {
            JsonNode head = ok(api.post("/v2/request-queues/" + queue + "/head/lock?limit=5&lockSecs=120&clientKey="
                    + clientKey, "")).data();
            if (head.get("items").isEmpty()) {
                JsonNode q = ok(api.get("/v2/request-queues/" + queue)).data();
                if (q.get("pendingRequestCount").asInt() == 0) {
                    return;
                }
                continue;
            }
            for (JsonNode r : head.get("items")) {
                String rid = r.get("id").asText();
                String before = handledBy.putIfAbsent(rid, clientKey);
                if (before != null) {
                    synchronized (twice) {
                        twice.add(rid + " by " + before + " and " + clientKey);
                    }
                }
                String body = "{\"id\":\"" + rid + "\",\"url\":\"" + r.get("url").asText() + "\",\"uniqueKey\":\""
                        + r.get("uniqueKey").asText() + "\",\"handledAt\":\"2026-01-01T00:00:00.000Z\"}";
                ok(api.put("/v2/request-queues/" + queue + "/requests/" + rid + "?clientKey=" + clientKey, body));
            }
        }
        failures.add(clientKey + " never saw the queue finish");
    }

    private TestDaemon.Response ok(TestDaemon.Response r) {
        if (r.status() >= 300) {
            failures.add(r.status() + " " + r.text());
        }
        assertTrue(r.status() < 500, () -> r.status() + " " + r.text());
        return r;
    }

    private static void runTogether(List<Callable<Void>> tasks) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(tasks.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            for (Callable<Void> t : tasks) {
                done.add(pool.submit(() -> {
                    start.await();
                    return t.call();
                }));
            }
            start.countDown();
            for (Future<Void> f : done) {
                assertNull(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String item(String writer, int n) {
        return "{\"w\":\"" + writer + "\",\"n\":" + n + "}";
    }

    private static String request(int n) {
        return "{\"url\":\"http://example.com/" + n + "\",\"uniqueKey\":\"u" + n + "\"}";
    }
}
