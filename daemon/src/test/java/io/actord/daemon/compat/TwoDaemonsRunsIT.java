package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two daemons on one PostgreSQL database (#25, "Done when" 3), each starting runs of an actor built on the published
 * apify SDK and crawlee in real isolated containers (the SDK rootfs of {@link SdkContainers}): every run pushes its
 * 1,000 numbered items to the same named dataset (half in batches, half singly) while its BasicCrawler takes requests
 * from the same named request queue (500, filled before the runs start) through crawlee's head locking and records
 * each one it handles. The second daemon starts while the first one's runs run, and leaves them to it (#26's run
 * owner). Nothing is lost, no request is handled twice, every run succeeds, the runs overlap, and
 * neither daemon answered any request with a 5xx (the SDK retries those silently, so the daemons' own request
 * counters are read). Needs root and PostgreSQL; skips, printing why, without them.
 */
@ApifyCompat
@Tag("privileged")
class TwoDaemonsRunsIT {
    private static final int RUNS_PER_DAEMON = 2;
    private static final int ITEMS = 1000;
    private static final int BATCH = 50;
    private static final int REQUESTS = 500;
    /** Half a core each (memory / 4096): four runs share this two-core host with the daemons. */
    private static final int MEMORY_MB = 2048;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    private final List<SdkContainers> containers = new ArrayList<>();
    private final List<TestDaemon> daemons = new ArrayList<>();

    @BeforeAll
    static void requirements() {
        SdkContainers.requirements("TwoDaemonsRunsIT");
    }

    @AfterEach
    void stopBoth() {
        daemons.forEach(TestDaemon::close);
        containers.forEach(SdkContainers::release);
    }

    @Test
    void shouldKeepEveryItemAndHandleEveryRequestOnceWithRunsOnBothDaemons() throws Exception {
        List<String> state = List.of("--state", PG.database("two_daemons_runs"));
        TestDaemon one = start(dirOne, "actord-two-daemons-one", state);
        String dataset = one.api().post("/v2/datasets?name=shared-items", "").expect(201).data().get("id").asText();
        String handled = one.api().post("/v2/datasets?name=handled", "").expect(201).data().get("id").asText();
        String queue = one.api().post("/v2/request-queues?name=shared-queue", "").expect(201).data().get("id").asText();
        fillQueue(one, queue);
        Map<String, TestDaemon> runs = new LinkedHashMap<>();
        Map<String, String> tags = new HashMap<>();
        startRuns(one, "one", runs, tags);
        for (String runId : runs.keySet()) {
            awaitRunning(one, runId);
        }
        // two starts while one's runs run: its recovery must leave them to one
        TestDaemon two = start(dirTwo, "actord-two-daemons-two", state);
        assertEquals(0, two.daemon().runs().activeCount(), "two adopted none of one's runs");
        for (String runId : runs.keySet()) {
            assertEquals("RUNNING", two.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status").asText(),
                    "one's run as two reads it");
        }
        startRuns(two, "two", runs, tags);
        List<JsonNode> finished = new ArrayList<>();
        for (Map.Entry<String, TestDaemon> run : runs.entrySet()) {
            JsonNode r = finish(run.getValue(), run.getKey());
            assertEquals("SUCCEEDED", r.get("status").asText(), () -> r + "\n" + log(run.getValue(), run.getKey()));
            finished.add(r);
        }
        Instant lastStart = finished.stream().map(r -> Instant.parse(r.get("startedAt").asText()))
                .max(Instant::compareTo).orElseThrow();
        Instant firstEnd = finished.stream().map(r -> Instant.parse(r.get("finishedAt").asText()))
                .min(Instant::compareTo).orElseThrow();
        assertTrue(lastStart.isBefore(firstEnd), "the runs overlap: last start " + lastStart + ", first end "
                + firstEnd);

        List<JsonNode> items = items(two, dataset, RUNS_PER_DAEMON * 2 * ITEMS);
        assertEachRunsItemsOnceInOrder(items, tags.values());
        Map<String, String> handledBy = handledOnce(one, handled);
        assertEquals(REQUESTS, handledBy.size(), "every request was handled");
        assertTrue(handledBy.values().stream().allMatch(runs::containsKey), "by the runs: " + handledBy.values());
        for (TestDaemon d : List.of(one, two)) {
            JsonNode q = d.api().get("/v2/request-queues/" + queue).expect(200).data();
            assertEquals(REQUESTS, q.get("handledRequestCount").asInt(), q.toString());
            assertEquals(0, q.get("pendingRequestCount").asInt(), q.toString());
        }
        for (TestDaemon d : List.of(one, two)) {
            assertEquals(List.of(), serverErrors(d), "5xx answers of daemon " + d.dir());
        }
        printFigures(finished, items, handledBy, tags, runs);
    }

    private TestDaemon start(Path dir, String cgroup, List<String> state) {
        SdkContainers c = SdkContainers.open(dir, cgroup);
        containers.add(c);
        TestDaemon d = c.start(dir, Duration.ofSeconds(30), state);
        daemons.add(d);
        return d;
    }

    /**
     * Starts the daemon's runs of an actor of its own (a build's image layers are kept by the daemon that imported
     * it), each tagged {@code prefix-i}.
     */
    private static void startRuns(TestDaemon d, String prefix, Map<String, TestDaemon> runs, Map<String, String> tags)
            throws Exception {
        String actor = d.actor("two-daemons-" + prefix, NodeScripts.ROOTFS,
                List.of("/usr/bin/node", "/app/two-daemons-actor.mjs"));
        for (int i = 0; i < RUNS_PER_DAEMON; i++) {
            String tag = prefix + "-" + i;
            String runId = d.api().post("/v2/acts/" + actor + "/runs?memory=" + MEMORY_MB, input(tag)).expect(201)
                    .data().get("id").asText();
            runs.put(runId, d);
            tags.put(runId, tag);
        }
    }

    private static void awaitRunning(TestDaemon d, String runId) throws InterruptedException {
        String path = "/v2/actor-runs/" + runId;
        String status = d.api().get(path).expect(200).data().get("status").asText();
        for (int i = 0; i < 600 && status.equals("READY"); i++) {
            Thread.sleep(100);
            status = d.api().get(path).expect(200).data().get("status").asText();
        }
        assertEquals("RUNNING", status, runId);
    }

    private static String input(String tag) {
        return "{\"tag\":\"" + tag + "\",\"items\":" + ITEMS + ",\"batch\":" + BATCH
                + ",\"dataset\":\"shared-items\",\"handled\":\"handled\",\"queue\":\"shared-queue\"}";
    }

    /** The queue's 500 requests, in batches of 25 (Apify's batch limit), to addresses of TEST-NET-3 (never fetched). */
    private static void fillQueue(TestDaemon d, String queue) {
        for (int i = 0; i < REQUESTS; i += 25) {
            StringBuilder batch = new StringBuilder("[");
            for (int n = i; n < i + 25; n++) {
                batch.append(n == i ? "" : ",").append("{\"url\":\"http://203.0.113.7/r/").append(n)
                        .append("\",\"uniqueKey\":\"u").append(n).append("\"}");
            }
            JsonNode added = d.api().post("/v2/request-queues/" + queue + "/requests/batch", batch + "]").expect(201)
                    .data();
            assertEquals(0, added.get("unprocessedRequests").size(), added.toString());
        }
    }

    private static JsonNode finish(TestDaemon d, String runId) {
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        JsonNode run;
        do {
            run = d.api().get("/v2/actor-runs/" + runId + "?waitForFinish=60").expect(200).data();
        } while (run.get("finishedAt").isNull() && System.nanoTime() < deadline);
        return run;
    }

    private static List<JsonNode> items(TestDaemon d, String dataset, int expected) {
        JsonNode info = d.api().get("/v2/datasets/" + dataset).expect(200).data();
        assertEquals(expected, info.get("itemCount").asInt(), info.toString());
        List<JsonNode> all = new ArrayList<>();
        d.api().get("/v2/datasets/" + dataset + "/items?limit=" + (expected + 100)).expect(200).json()
                .forEach(all::add);
        return all;
    }

    /** Every run's items 0..999 each once, in the order the run pushed them (interleaved with the others'). */
    private static void assertEachRunsItemsOnceInOrder(List<JsonNode> items, Collection<String> tags) {
        Map<String, List<Integer>> byTag = new HashMap<>();
        items.forEach(it -> byTag.computeIfAbsent(it.get("tag").asText(), t -> new ArrayList<>())
                .add(it.get("n").asInt()));
        assertEquals(new TreeSet<>(tags), new TreeSet<>(byTag.keySet()));
        for (String tag : tags) {
            List<Integer> mine = byTag.get(tag);
            assertEquals(ITEMS, mine.size(), tag + " has each of its items once");
            for (int n = 0; n < ITEMS; n++) {
                assertEquals(n, mine.get(n), tag + "'s items keep the order it pushed them in");
            }
        }
    }

    /** The requests the runs handled, uniqueKey → run id; fails on a request handled twice. */
    private static Map<String, String> handledOnce(TestDaemon d, String dataset) {
        Map<String, String> by = new HashMap<>();
        List<String> twice = new ArrayList<>();
        d.api().get("/v2/datasets/" + dataset + "/items?limit=" + (REQUESTS * 2)).expect(200).json().forEach(h -> {
            String before = by.putIfAbsent(h.get("uniqueKey").asText(), h.get("runId").asText());
            if (before != null) {
                twice.add(h.get("uniqueKey").asText() + " by " + before + " and " + h.get("runId").asText());
            }
        });
        assertEquals(List.of(), twice, "requests handled twice");
        Set<String> expected = new HashSet<>();
        for (int n = 0; n < REQUESTS; n++) {
            expected.add("u" + n);
        }
        assertEquals(expected, by.keySet());
        return by;
    }

    /** The daemon's count of 5xx answers, per method, route and code ({@code actord_api_requests_total}). */
    private static List<String> serverErrors(TestDaemon d) throws Exception {
        List<String> errors = new ArrayList<>();
        for (String line : TestDaemon.unixGet(d.socket(), "/metrics").expect(200).text().split("\n")) {
            if (line.startsWith("actord_api_requests_total{") && line.matches(".*code=\"5\\d\\d\".*")
                    && Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)) > 0) {
                errors.add(line);
            }
        }
        return errors;
    }

    private static void printFigures(List<JsonNode> finished, List<JsonNode> items, Map<String, String> handledBy,
                                     Map<String, String> tags, Map<String, TestDaemon> runs) {
        Instant first = finished.stream().map(r -> Instant.parse(r.get("startedAt").asText())).min(Instant::compareTo)
                .orElseThrow();
        Instant last = finished.stream().map(r -> Instant.parse(r.get("finishedAt").asText())).max(Instant::compareTo)
                .orElseThrow();
        long millis = Duration.between(first, last).toMillis();
        int switches = 0;
        for (int i = 1; i < items.size(); i++) {
            switches += items.get(i).get("tag").asText().equals(items.get(i - 1).get("tag").asText()) ? 0 : 1;
        }
        System.out.printf("two daemons, %d runs: %d items and %d requests in %d ms (first start to last end):"
                        + " %.0f items/s, %.0f requests/s; the dataset changes run %d times%n", finished.size(),
                items.size(), handledBy.size(), millis, items.size() * 1000.0 / millis,
                handledBy.size() * 1000.0 / millis, switches);
        for (JsonNode r : finished) {
            String id = r.get("id").asText();
            long ran = Duration.between(Instant.parse(r.get("startedAt").asText()),
                    Instant.parse(r.get("finishedAt").asText())).toMillis();
            JsonNode figures = runs.get(id).api().get("/v2/actor-runs/" + id + "/key-value-store/records/FIGURES")
                    .expect(200).json();
            System.out.printf("  run %s (%s): %d ms from start to end, the actor's work %d ms, requests handled %d%n",
                    id, tags.get(id), ran, figures.get("millis").asLong(),
                    handledBy.values().stream().filter(id::equals).count());
        }
    }

    private static String log(TestDaemon d, String runId) {
        return d.api().get("/v2/actor-runs/" + runId + "/log").text();
    }
}
