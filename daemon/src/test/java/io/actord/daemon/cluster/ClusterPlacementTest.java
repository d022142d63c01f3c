package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ContainerSpec;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Placement in a cluster (#26) with a gateway (capacity 0) and workers on one PostgreSQL database and a real etcd, on
 * fake containers: runs posted to the gateway are all placed on the workers, no worker ever holds more than its
 * capacity, a run starts only once every run started before it is placed (no overtaking), two workers racing for the
 * same runs start each once, a run no member could hold is refused, and a stale owner's write is refused and its
 * container killed (fencing).
 */
class ClusterPlacementTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    private static final long WORKER_MBYTES = 1024;

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dir;

    private final List<TestDaemon> daemons = new ArrayList<>();
    /** What broke an invariant at a container's creation, on a daemon's thread: the test fails with it. */
    private final List<String> violations = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopAll() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    @Test
    void shouldPlaceEveryRunOfAGatewayOnTheWorkersInStartOrderWithinTheirCapacity() throws Exception {
        String state = PG.database("placement_sixty");
        TestDaemon gateway = gateway(state, new FakeRuntime());
        Table<String, Run> runs = gateway.daemon().store().table(RunTables.RUNS);
        List<String> posted = new CopyOnWriteArrayList<>();
        FakeRuntime a = new FakeRuntime();
        FakeRuntime b = new FakeRuntime();
        a.onCreate(spec -> check("a", a, spec, posted, runs));
        b.onCreate(spec -> check("b", b, spec, posted, runs));
        worker(state, "a", a);
        worker(state, "b", b);
        ClusterDaemons.awaitHosts(gateway, 3);
        String actor = gateway.actor("short", "sleep", "0.3");
        Random sizes = new Random(26);
        for (int i = 0; i < 60; i++) {
            int memory = 128 << sizes.nextInt(3);
            posted.add(gateway.api().post("/v2/acts/" + actor + "/runs?memory=" + memory, "").expect(201).data()
                    .get("id").asText());
        }

        for (String runId : posted) {
            assertEquals("SUCCEEDED", awaitEnd(gateway, runId).get("status").asText(), runId);
            assertEquals(1, a.containersOf(runId).size() + b.containersOf(runId).size(), "started once: " + runId);
        }
        assertEquals(List.of(), violations);
        assertEquals(List.of(), gateway.daemon().runs().activeRuns(), "the gateway supervises no run");
        System.out.printf("placement: 60 runs, worker a started %d, worker b %d%n", a.created().size(),
                b.created().size());
        assertTrue(a.created().size() > 0 && b.created().size() > 0, "both workers took runs");
    }

    @Test
    void shouldStartARunOnceWhenTwoHostsRaceForIt() throws Exception {
        String state = PG.database("placement_race");
        TestDaemon gateway = gateway(state, new FakeRuntime());
        FakeRuntime a = new FakeRuntime();
        FakeRuntime b = new FakeRuntime();
        worker(state, "a", a);
        worker(state, "b", b);
        ClusterDaemons.awaitHosts(gateway, 3);
        String actor = gateway.actor("long", "sleep", "300");
        List<String> posted = new ArrayList<>();
        // 16 runs of 128 MB fill both workers: each is claimed by one as the two wake on the same signals
        for (int i = 0; i < 16; i++) {
            posted.add(gateway.api().post("/v2/acts/" + actor + "/runs?memory=128", "").expect(201).data()
                    .get("id").asText());
        }
        for (String runId : posted) {
            TestRuns.awaitStatus(gateway.api(), runId, "RUNNING");
        }
        for (String runId : posted) {
            assertEquals(1, a.containersOf(runId).size() + b.containersOf(runId).size(), "started once: " + runId);
        }
        assertEquals(16, a.created().size() + b.created().size());
    }

    @Test
    void shouldRefuseARunNoMemberCanHold() throws Exception {
        String state = PG.database("placement_too_big");
        TestDaemon gateway = gateway(state, new FakeRuntime());
        worker(state, "a", new FakeRuntime());
        ClusterDaemons.awaitHosts(gateway, 2);
        String actor = gateway.actor("big", "sleep", "1");

        TestDaemon.Response refused = gateway.api().post("/v2/acts/" + actor + "/runs?memory=2048", "");
        assertEquals("invalid-value", refused.expect(400).errorType());
        assertTrue(refused.text().contains("the largest gives 1024 MB"), refused.text());
        String fits = gateway.api().post("/v2/acts/" + actor + "/runs?memory=1024", "").expect(201).data()
                .get("id").asText();
        assertEquals("SUCCEEDED", awaitEnd(gateway, fits).get("status").asText());
    }

    @Test
    void shouldHoldAUsersMemoryLimitAcrossTheHostsTheirRunsAreStartedOn() throws Exception {
        String state = PG.database("placement_user_limit");
        List<String> limit = List.of("--user-memory-limit-mb", "1024");
        TestDaemon gateway = add(TestDaemon.start(dir.resolve("gateway"), new FakeRuntime(), GRACE,
                concat(ClusterDaemons.gatewayFlags(ETCD.server(), state, "gateway"), limit)));
        List<String> workerFlags = new ArrayList<>(ClusterDaemons.flags(ETCD.server(), state, "a"));
        workerFlags.addAll(List.of("--host-memory-mb", Long.toString(WORKER_MBYTES)));
        TestDaemon worker = add(TestDaemon.start(dir.resolve("a"), new FakeRuntime(), GRACE, concat(workerFlags,
                limit)));
        worker(state, "b", new FakeRuntime());
        ClusterDaemons.awaitHosts(gateway, 3);
        ClusterDaemons.awaitHosts(worker, 3);
        String actor = gateway.actor("long", "sleep", "300");
        List<TestDaemon> hosts = List.of(gateway, worker);
        ExecutorService posts = Executors.newFixedThreadPool(8);
        List<Future<Integer>> answers = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                TestDaemon host = hosts.get(i % 2);
                answers.add(posts.submit(() -> host.api().post("/v2/acts/" + actor + "/runs?memory=256", "")
                        .status()));
            }
            Map<Integer, Long> statuses = new TreeMap<>();
            for (Future<Integer> answer : answers) {
                statuses.merge(answer.get(60, TimeUnit.SECONDS), 1L, Long::sum);
            }
            assertEquals(Map.of(201, 4L, 402, 4L), statuses, "4 of 256 MB fill the user's 1,024 MB, wherever posted");
        } finally {
            posts.shutdownNow();
        }
        TestDaemon.Response refused = gateway.api().post("/v2/acts/" + actor + "/runs?memory=128", "");
        assertEquals("actor-memory-limit-exceeded", refused.expect(402).errorType());
        assertTrue(refused.text().contains("currently used: 1024MB"), refused.text());
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void shouldAbortARunThatWaitsForAHostAndPlaceNoOtherBeforeIt() throws Exception {
        String state = PG.database("placement_abort_waiting");
        TestDaemon gateway = gateway(state, new FakeRuntime());
        FakeRuntime a = new FakeRuntime();
        worker(state, "a", a);
        ClusterDaemons.awaitHosts(gateway, 2);
        String actor = gateway.actor("long", "sleep", "300");
        String filling = gateway.api().post("/v2/acts/" + actor + "/runs?memory=1024", "").expect(201).data()
                .get("id").asText();
        TestRuns.awaitStatus(gateway.api(), filling, "RUNNING");
        String big = gateway.api().post("/v2/acts/" + actor + "/runs?memory=512", "").expect(201).data()
                .get("id").asText();
        String small = gateway.api().post("/v2/acts/" + actor + "/runs?memory=128", "").expect(201).data()
                .get("id").asText();

        assertEquals("ABORTED", gateway.api().post("/v2/actor-runs/" + big + "/abort").expect(200).data()
                .get("status").asText(), "the waiting run is aborted where it waits");
        assertEquals("run-state-conflict", gateway.api().post("/v2/actor-runs/" + small + "/reboot").expect(400)
                .errorType(), "a waiting run has nothing to reboot");
        gateway.api().post("/v2/actor-runs/" + filling + "/abort").expect(200);
        TestRuns.awaitStatus(gateway.api(), small, "RUNNING");
        assertEquals(List.of(), a.containersOf(big), "the aborted run never started");
        assertEquals(2, a.created().size(), "the filling run, then the small one");
    }

    @Test
    void shouldRefuseAStaleOwnersWriteAndKillItsContainer() throws Exception {
        String state = PG.database("placement_fencing");
        TestDaemon gateway = gateway(state, new FakeRuntime());
        FakeRuntime a = new FakeRuntime();
        TestDaemon worker = worker(state, "a", a);
        ClusterDaemons.awaitHosts(gateway, 2);
        String actor = gateway.actor("long", "sleep", "300");
        String runId = gateway.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        JsonNode running = TestRuns.awaitStatus(gateway.api(), runId, "RUNNING");
        Table<String, Run> runs = gateway.daemon().store().table(RunTables.RUNS);
        Run placed = runs.get(runId).orElseThrow();
        assertEquals("a", placed.ownerHost());
        assertEquals(1, placed.epoch(), "the claim was a change of owner");

        // another host took the run over behind the supervisor's back (as a migration would)
        runs.put(runId, placed.toBuilder().epoch(placed.epoch() + 1).build());
        TestDaemon.Response refused = worker.api().put("/v2/actor-runs/" + runId, "{\"statusMessage\":\"stale\"}");

        assertEquals("run-state-conflict", refused.expect(400).errorType(), refused.text());
        assertEquals(List.of(Signal.SIGKILL), a.containersOf(runId).get(0).signals(), "its container was killed");
        assertTrue(a.containersOf(runId).get(0).closed(), "and torn down");
        Run stored = runs.get(runId).orElseThrow();
        assertEquals(placed.epoch() + 1, stored.epoch());
        assertEquals(running.path("statusMessage").asText(null), stored.statusMessage(), "the stale write left no trace");
        TestRuns.awaitNoActiveRuns(worker); // worker a no longer supervises it
    }

    /**
     * At a container's creation on worker {@code host}: the open containers of the host hold at most its capacity, and
     * every run started before this one (posted earlier) has been placed already.
     */
    private void check(String host, FakeRuntime runtime, ContainerSpec spec, List<String> posted,
                       Table<String, Run> runs) {
        long open = runtime.created().stream().filter(c -> !c.closed()).mapToLong(c -> mbytes(c.spec())).sum()
                + mbytes(spec);
        if (open > WORKER_MBYTES) {
            violations.add("host " + host + " holds " + open + " MB of containers, over its " + WORKER_MBYTES);
        }
        Run starting = runs.get(spec.env().get("ACTOR_RUN_ID")).orElseThrow();
        Comparator<Run> byStart = Comparator.comparing(Run::startedAt).thenComparing(Run::id);
        Map<String, Run> stored = new ConcurrentHashMap<>();
        posted.forEach(id -> runs.get(id).ifPresent(r -> stored.put(id, r)));
        List<String> overtaken = stored.values().stream()
                .filter(r -> byStart.compare(r, starting) < 0 && r.ownerHost() == null)
                .map(Run::id).collect(Collectors.toList());
        if (!overtaken.isEmpty()) {
            violations.add("run " + starting.id() + " started on " + host + " before older runs were placed: "
                    + overtaken);
        }
    }

    private static long mbytes(ContainerSpec spec) {
        return spec.resources().memory().bytes().orElseThrow() / (1024 * 1024);
    }

    private static JsonNode awaitEnd(TestDaemon d, String runId) {
        long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
        JsonNode run;
        do {
            run = d.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data();
        } while (!List.of("SUCCEEDED", "FAILED", "ABORTED", "TIMED-OUT").contains(run.get("status").asText())
                && System.nanoTime() < deadline);
        return run;
    }

    private TestDaemon gateway(String state, FakeRuntime runtime) {
        return add(TestDaemon.start(dir.resolve("gateway"), runtime, GRACE,
                ClusterDaemons.gatewayFlags(ETCD.server(), state, "gateway")));
    }

    private TestDaemon worker(String state, String hostId, FakeRuntime runtime) {
        List<String> flags = new ArrayList<>(ClusterDaemons.flags(ETCD.server(), state, hostId));
        flags.addAll(List.of("--host-memory-mb", Long.toString(WORKER_MBYTES)));
        return add(TestDaemon.start(dir.resolve(hostId), runtime, GRACE, flags));
    }

    private TestDaemon add(TestDaemon d) {
        daemons.add(d);
        return d;
    }
}
