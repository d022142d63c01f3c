package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunMigration;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.StoreSignals;
import io.actord.daemon.testing.ActorEvents;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Host failure and drain in a cluster (#26) with daemons on one PostgreSQL database, a real etcd and the fake runtime:
 * a host that stops abruptly has its runs settled by another (a RUNNING run unplaced with its id, storages and
 * container URL token, a TIMING-OUT one ended TIMED-OUT) and, restarted, does not take them back; a host that counts
 * itself out kills its runs' containers and stores nothing, and unplaces them itself when it is back and nobody took
 * them; a drained host tells its runs' actors they migrate, then unplaces them. Placement (which starts unplaced runs
 * elsewhere) is not part of these daemons: the tests stop at the stored transition and its signal. Waits are bounded
 * only against a hang; nothing is asserted on time.
 */
class HostFailureTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** A grace no test waits out: a run timing out on a host with it stays TIMING-OUT. */
    private static final Duration LONG_GRACE = Duration.ofSeconds(300);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    private final FakeRuntime runtimeOne = new FakeRuntime();
    private final FakeRuntime runtimeTwo = new FakeRuntime();
    private final List<TestDaemon> daemons = new ArrayList<>();

    @AfterEach
    void stopAll() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    @Test
    void shouldMigrateTheRunningRunOfAHostThatStoppedAndNotTakeItBackWhenItRestarts() throws Exception {
        String state = PG.database("failover_running");
        TestDaemon one = startBoth(state, GRACE);
        TestDaemon two = daemons.get(1);
        String runId = startRun(two, "sleeper", "sleep", "300");
        RunRepository stored = new RunRepository(one.daemon().store());
        Run before = stored.get(runId).orElseThrow();
        BlockingQueue<String> placements = placementSignals(one);

        stop(two); // no cleanup: its lease lapses, as a host that died
        assertEquals(runId, placements.poll(ClusterDaemons.HANG.toSeconds(), TimeUnit.SECONDS),
                "one signalled the run for placement");
        Run after = stored.get(runId).orElseThrow();
        assertEquals("RUNNING", after.status().wireName());
        assertNull(after.ownerHost(), "unplaced: no owner");
        assertNull(after.container(), "unplaced: no container");
        assertEquals(1, after.migrationCount());
        assertEquals(before.epoch() + 1, after.epoch());
        assertEquals(before.containerUrlToken(), after.containerUrlToken());
        assertEquals(List.of(before.defaultKeyValueStoreId(), before.defaultDatasetId(), before.defaultRequestQueueId()),
                List.of(after.defaultKeyValueStoreId(), after.defaultDatasetId(), after.defaultRequestQueueId()));
        assertEquals(before.timeoutAt(), after.timeoutAt());
        assertEquals(1, one.api().get("/v2/actor-runs/" + runId).expect(200).data().get("stats")
                .get("migrationCount").asInt(), "served as stats.migrationCount");
        assertEquals(List.of(), runtimeOne.created(), "one made no container: placing it is placement's");

        // back, two's recovery neither re-attaches nor restarts the run (it is no longer its own), but its placement
        // claims it as any unplaced run: a new container, the same run
        TestDaemon twoAgain = start(dirTwo, runtimeTwo, state, "two", GRACE);
        Run placed = await(new RunRepository(twoAgain.daemon().store()), runId,
                r -> "two".equals(r.ownerHost()) && r.container() != null);
        assertTrue(runtimeTwo.cleanedUp().contains(before.containerId()), "it removed the run's old container, which no"
                + " run of its own owns: " + runtimeTwo.cleanedUp());
        assertEquals("RUNNING", placed.status().wireName());
        assertEquals(after.epoch() + 1, placed.epoch(), "placed: a new owner, a new epoch");
        assertEquals(1, placed.migrationCount());
        assertNotEquals(before.containerId(), placed.containerId(), "a new container");
        assertEquals(List.of(before.containerId(), placed.containerId()), runtimeTwo.created().stream()
                .map(FakeRuntime.FakeContainer::id).toList(), "the old container was not restarted");
        assertEquals(before.containerUrlToken(), placed.containerUrlToken());
        assertEquals(before.timeoutAt(), placed.timeoutAt(), "the timeout counts from the run's start, not the move");
    }

    @Test
    void shouldEndATimingOutRunOfAHostThatStoppedTimedOut() throws Exception {
        TestDaemon one = startBoth(PG.database("failover_timing_out"), LONG_GRACE);
        TestDaemon two = daemons.get(1);
        String actor = two.actor("stubborn", "ignore-term", "300");
        String runId = two.api().post("/v2/acts/" + actor + "/runs?timeout=1", "").expect(201).data().get("id")
                .asText();
        TestRuns.awaitStatus(two.api(), runId, "TIMING-OUT");
        long epoch = new RunRepository(one.daemon().store()).get(runId).orElseThrow().epoch();

        stop(two);
        JsonNode ended = one.api().get("/v2/actor-runs/" + runId + "?waitForFinish=60").expect(200).data();
        assertEquals("TIMED-OUT", ended.get("status").asText(), "ended as the timeout decided");
        assertNotNull(ended.get("finishedAt").textValue());
        Run run = new RunRepository(one.daemon().store()).get(runId).orElseThrow();
        assertEquals(epoch + 1, run.epoch());
        assertEquals(0, run.migrationCount(), "an end is no migration");
    }

    @Test
    void shouldKillItsRunsWhenOutStoreNothingAndUnplaceThemWhenBack() throws Exception {
        Assumptions.assumeTrue(EtcdServer.missing() == null, EtcdServer.missing());
        try (EtcdServer own = EtcdServer.start()) {
            TestDaemon solo = TestDaemon.start(dirOne, runtimeOne, GRACE,
                    ClusterDaemons.flags(own, PG.database("failover_out"), "solo"));
            daemons.add(solo);
            ClusterDaemons.awaitHosts(solo, 1);
            String runId = startRun(solo, "sleeper", "sleep", "300");
            RunRepository stored = new RunRepository(solo.daemon().store());
            Run before = stored.get(runId).orElseThrow();
            FakeRuntime.FakeContainer container = runtimeOne.containersOf(runId).get(0);

            own.kill();
            TestRuns.awaitReleased(container);
            List<Signal> signals = List.copyOf(container.signals());
            assertTrue(!signals.isEmpty() && signals.stream().allMatch(Signal.SIGKILL::equals),
                    "killed (the teardown kills again), never asked to stop: " + signals);
            TestRuns.awaitNoActiveRuns(solo); // it supervises nothing
            assertEquals(before, stored.get(runId).orElseThrow(), "and stored nothing: the run is for others to"
                    + " settle");
            JsonNode out = solo.admin("GET", ClusterRoutes.PATH, null).data();
            assertEquals("OUT", out.get("phase").asText());
            assertFalse(out.get("claiming").asBoolean(), "an OUT host claims no runs");

            // back in the cluster, it settles its own runs that no one did (unplaced, a migration), and its placement
            // claims them again: a new container, the same run
            own.restart();
            Run after = await(stored, runId, r -> r.migrationCount() == 1 && r.container() != null);
            assertEquals("RUNNING", after.status().wireName());
            assertEquals("solo", after.ownerHost());
            assertEquals(before.epoch() + 2, after.epoch(), "unplaced, then placed");
            assertEquals(2, runtimeOne.created().size(), "a new container");
            assertEquals(before.timeoutAt(), after.timeoutAt());
            assertTrue(ClusterDaemons.awaitHosts(solo, 1).get("claiming").asBoolean(), "a member again, it claims");
        }
    }

    @Test
    void shouldTellADrainedRunItMigratesThenUnplaceIt() throws Exception {
        TestDaemon host = start(dirOne, runtimeOne, PG.database("failover_drain"), "drained", LONG_GRACE);
        ClusterDaemons.awaitHosts(host, 1);
        String runId = startRun(host, "sdk", "sleep", "300");
        FakeRuntime.FakeContainer container = runtimeOne.containersOf(runId).get(0);
        String token = container.spec().env().get("APIFY_TOKEN");
        InetSocketAddress endpoint = host.daemon().endpoints().address(runId).orElseThrow();
        HttpClient http = HttpClient.newHttpClient();
        ActorEvents events = new ActorEvents();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + endpoint.getPort()
                + "/v2/actor-events?token=" + token), events).get(10, TimeUnit.SECONDS);
        events.next("systemInfo"); // the socket is served
        long epoch = new RunRepository(host.daemon().store()).get(runId).orElseThrow().epoch();
        assertTrue(host.admin("GET", ClusterRoutes.PATH, null).data().get("claiming").asBoolean());

        CompletableFuture<TestDaemon.Response> drained = CompletableFuture.supplyAsync(() -> {
            try {
                return host.admin("POST", ClusterRoutes.DRAIN, "{}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals("migrating", events.nextOtherThanSystemInfo());
        assertEquals("persistState", events.nextOtherThanSystemInfo());
        // the SDK's default migrating handler, once the state is persisted: Actor.reboot()
        HttpResponse<String> reboot = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + endpoint.getPort() + "/v2/actor-runs/" + runId + "/reboot")).header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, reboot.statusCode(), reboot.body());

        TestDaemon.Response answer = drained.get(ClusterDaemons.HANG.toSeconds(), TimeUnit.SECONDS).expect(200);
        JsonNode moved = answer.data().get("items");
        assertEquals(1, moved.size(), answer.text());
        assertEquals(runId, moved.get(0).get("id").asText());
        assertEquals("RUNNING", moved.get(0).get("to").asText());
        assertTrue(moved.get(0).get("unplaced").asBoolean());
        Run run = new RunRepository(host.daemon().store()).get(runId).orElseThrow();
        assertNull(run.ownerHost());
        assertNull(run.container());
        assertEquals(1, run.migrationCount());
        assertEquals(0, run.rebootCount(), "the reboot it asked for was the migration, not a reboot here");
        assertEquals(epoch + 1, run.epoch());
        TestRuns.awaitReleased(container);
        assertTrue(container.signals().contains(Signal.SIGKILL), "its container was killed: " + container.signals());
        assertEquals(1, runtimeOne.created().size(), "and not replaced here");
        assertFalse(host.admin("GET", ClusterRoutes.PATH, null).data().get("claiming").asBoolean(), "drained, the"
                + " host claims no runs");
        awaitPublishedDrained(host, true); // so no other host relays it a build
        ws.abort();

        assertTrue(host.admin("DELETE", ClusterRoutes.DRAIN, null).expect(200).data().get("claiming").asBoolean());
        awaitPublishedDrained(host, false);
        runtimeOne.awaitCreated(2, ClusterDaemons.HANG);
        Run back = new RunRepository(host.daemon().store()).get(runId).orElseThrow();
        assertEquals("drained", back.ownerHost(), "undrained, the host claims runs again: its own moved one here");
        assertEquals(epoch + 2, back.epoch());
    }

    @Test
    void shouldRefuseToDrainOutsideACluster() throws Exception {
        TestDaemon plain = TestDaemon.start(dirOne, runtimeOne, GRACE);
        daemons.add(plain);
        TestDaemon.Response refused = plain.admin("POST", ClusterRoutes.DRAIN, "{}");
        assertEquals("invalid-request", refused.expect(400).errorType());
        assertTrue(refused.text().contains("not a member of a cluster"), refused.text());
        assertEquals("invalid-request", plain.admin("DELETE", ClusterRoutes.DRAIN, null).expect(400).errorType());
    }

    /**
     * Hosts one, a gateway (it takes no runs: every run is two's, and once two is gone nothing places them), and two on
     * database {@code state}, two's abort and timeout grace {@code graceTwo} and its containers outliving it (it is
     * stopped as a host that died); returns one once it sees both.
     */
    private TestDaemon startBoth(String state, Duration graceTwo) throws Exception {
        TestDaemon one = TestDaemon.start(dirOne, runtimeOne, GRACE, ClusterDaemons.gatewayFlags(ETCD.server(), state,
                "one"));
        daemons.add(one);
        start(dirTwo, runtimeTwo.surviving(), state, "two", graceTwo);
        ClusterDaemons.awaitHosts(one, 2);
        return one;
    }

    private TestDaemon start(Path dir, ContainerRuntime runtime, String state, String hostId, Duration grace) {
        TestDaemon d = TestDaemon.start(dir, runtime, grace, ClusterDaemons.flags(ETCD.server(), state, hostId));
        daemons.add(d);
        return d;
    }

    /** Stops {@code d} as a host that died: its runs' containers stay, its lease is left to lapse. */
    private void stop(TestDaemon d) {
        daemons.remove(d);
        d.keepRunsOnClose().close();
    }

    /** A RUNNING run of a new actor {@code name} on {@code d}. */
    private static String startRun(TestDaemon d, String name, String... cmd) throws Exception {
        String actor = d.actor(name, cmd);
        String runId = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        TestRuns.awaitStatus(d.api(), runId, "RUNNING");
        return runId;
    }

    /** What {@link RunRepository#PLACEMENT} carries from now on, heard through {@code d}'s store. */
    private static BlockingQueue<String> placementSignals(TestDaemon d) {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        d.daemon().store().signals().listen(RunRepository.PLACEMENT, StoreSignals.listener(heard::add, () -> { }));
        return heard;
    }

    /** Returns once {@code d}'s record in etcd, as its own watch shows it, says it is drained or not. */
    private static void awaitPublishedDrained(TestDaemon d, boolean drained) throws Exception {
        long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
        JsonNode hosts;
        do {
            hosts = d.admin("GET", ClusterRoutes.PATH, null).expect(200).data().get("items");
            if (hosts.size() == 1 && hosts.get(0).get("drained").asBoolean() == drained) {
                return;
            }
            Thread.sleep(50);
        } while (System.nanoTime() < deadline);
        fail("its record never said drained=" + drained + ": " + hosts);
    }

    /** The stored run once {@code wanted} accepts it. */
    private static Run await(RunRepository stored, String runId, Predicate<Run> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
        Run last = null;
        while (System.nanoTime() < deadline) {
            last = stored.get(runId).orElseThrow();
            if (wanted.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        return fail("run " + runId + " not as wanted within " + ClusterDaemons.HANG + ": " + Objects.toString(last));
    }
}
