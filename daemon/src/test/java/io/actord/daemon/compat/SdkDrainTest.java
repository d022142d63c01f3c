package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.EtcdServer;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A drain (#26) of a cluster host under an actor built on the published {@code apify} SDK, run as a host process
 * ({@link FakeRuntime#hostProcesses}, no root): the SDK gets {@code migrating}, persists its state and asks for a
 * reboot, which lets the drain move the run at once; started again (here by the test standing in for placement, which
 * is not part of this daemon yet: it gives the unplaced run back to the host, whose recovery starts it as placement
 * will), the actor continues from the state it persisted.
 */
@ApifyCompat
class SdkDrainTest {
    /** A grace the SDK never needs: the drain goes ahead on its reboot request. */
    private static final Duration GRACE = Duration.ofSeconds(60);
    private static final Duration HANG = Duration.ofSeconds(60);

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dir;
    private TestDaemon daemon;

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    void shouldLetAnSdkActorPersistOnMigratingAndContinueFromItsState() throws Exception {
        NodeScripts.install();
        List<String> flags = List.of("--state", PG.database("sdk_drain"), "--cluster", ETCD.server().url(),
                "--host-id", "sdk-host", "--cluster-lease-ttl-secs", "3");
        daemon = TestDaemon.start(dir, FakeRuntime.hostProcesses(NodeScripts.WORK), GRACE, flags);
        String actor = daemon.actor("migrating", "node", NodeScripts.WORK.resolve("migrating-actor.mjs").toString());
        String runId = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        awaitListening(runId);

        TestDaemon.Response drained = daemon.admin("POST", ClusterRoutes.DRAIN, "{}").expect(200);
        JsonNode moved = drained.data().get("items");
        assertEquals(1, moved.size(), drained.text());
        assertTrue(moved.get(0).get("unplaced").asBoolean(), drained.text());
        JsonNode persisted = record(runId, "STATE");
        assertTrue(persisted.get("ticks").asInt() > 0, "the actor persisted its progress: " + persisted);
        Run unplaced = runs().get(runId).orElseThrow();
        assertNull(unplaced.ownerHost());
        assertEquals(0, unplaced.rebootCount(), "its reboot request was the go for the migration, not a reboot");

        // the test as placement: the run back to this host, epoch + 1, then the daemon's recovery starts it
        Table<String, Run> table = daemon.daemon().store().table(RunTables.RUNS);
        daemon.daemon().store().write(b -> table.putInBatch(b, runId,
                unplaced.toBuilder().ownerHost("sdk-host").epoch(unplaced.epoch() + 1).build()));
        daemon.keepRunsOnClose().close();
        daemon = TestDaemon.start(dir, FakeRuntime.hostProcesses(NodeScripts.WORK), GRACE, flags);
        TestRuns.awaitStatus(daemon.api(), runId, "RUNNING");
        JsonNode resumed = awaitRecord(runId, "RESUMED", r -> r.get("starts").asInt() == 2);
        assertEquals(persisted.get("ticks").asInt(), resumed.get("fromTicks").asInt(),
                "the actor continued from what it persisted on migrating");
        assertEquals(1, daemon.api().get("/v2/actor-runs/" + runId).expect(200).data().get("stats")
                .get("migrationCount").asInt());
    }

    private RunRepository runs() {
        return new RunRepository(daemon.daemon().store());
    }

    /** Waits until the SDK has connected its events WebSocket and the actor reported it started. */
    private void awaitListening(String runId) throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline && !(daemon.daemon().endpoints().events().listening(runId)
                && daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/STARTED").status() == 200)) {
            Thread.sleep(100);
        }
        assertTrue(daemon.daemon().endpoints().events().listening(runId), "the SDK opened the events WebSocket");
    }

    private JsonNode record(String runId, String key) {
        return daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/" + key).expect(200).json();
    }

    /** The record once {@code wanted} accepts it. */
    private JsonNode awaitRecord(String runId, String key, Predicate<JsonNode> wanted)
            throws InterruptedException {
        long deadline = System.nanoTime() + HANG.toNanos();
        while (System.nanoTime() < deadline) {
            TestDaemon.Response r = daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/" + key);
            if (r.status() == 200 && wanted.test(r.json())) {
                return r.json();
            }
            Thread.sleep(100);
        }
        return fail("record " + key + " of run " + runId + " not as wanted within " + HANG + ": "
                + daemon.api().get("/v2/actor-runs/" + runId + "/key-value-store/records/" + key).text());
    }
}
