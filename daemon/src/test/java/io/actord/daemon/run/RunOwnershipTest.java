package io.actord.daemon.run;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.state.PostgresLocation;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.PostgresStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two daemons on one PostgreSQL database (#25, #26's "Run rows carry their owner host"): a daemon's start settles
 * its own runs and those stored before runs had owners, never another daemon's, and refuses commands to another's
 * active run; of two resurrecting one finished run at once only one does; its retention deletes its own runs; on a
 * store of its own (RocksDB) every run is its own, whatever host id it names.
 */
class RunOwnershipTest {
    private static final Duration GRACE = Duration.ofSeconds(1);
    /** How many times the two daemons race to resurrect the run (a race lost once may be won the next time). */
    private static final int RACE_ROUNDS = 8;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    private final FakeRuntime runtimeOne = new FakeRuntime();
    private final FakeRuntime runtimeTwo = new FakeRuntime();

    @Test
    void shouldLeaveTheRunsOfAnotherDaemonToItWhenItStartsOrRestarts() throws Exception {
        List<String> state = List.of("--state", PG.database("owned_runs"));
        String runId;
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, state).keepRunsOnClose()) {
            runId = startRun(one, "long");
            try (TestDaemon two = TestDaemon.start(dirTwo, runtimeTwo, GRACE, state)) {
                assertEquals(0, two.daemon().runs().activeCount(), "two adopted none of one's runs");
                assertEquals("RUNNING", status(two, runId), "two reads one's run");
                for (TestDaemon.Response refused : List.of(two.api().post("/v2/actor-runs/" + runId + "/abort", ""),
                        two.api().put("/v2/actor-runs/" + runId, "{\"statusMessage\":\"from two\"}"))) {
                    assertEquals("run-state-conflict", refused.expect(400).errorType());
                    assertTrue(refused.text().contains("host " + hostId(dirOne)), refused.text());
                }
            }
            assertEquals("RUNNING", status(one, runId));
        }
        // one is down (an upgrade, a crash): two restarting meanwhile must not settle one's run as lost
        try (TestDaemon two = TestDaemon.start(dirTwo, runtimeTwo, GRACE, state)) {
            assertEquals("RUNNING", status(two, runId));
            assertEquals(List.of(), runtimeTwo.cleanedUp());
        }
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, state)) {
            assertEquals(hostId(dirOne), stored(one, runId).ownerHost());
            runtimeOne.last().exit(ExitStatus.exited(0));
            assertEquals("SUCCEEDED", one.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data()
                    .get("status").asText(), "one re-attached its run and saw it end");
        }
    }

    @Test
    void shouldClaimARunStoredBeforeRunsHadOwnersForTheFirstDaemonThatRecoversIt() throws Exception {
        String url = PG.database("legacy_runs");
        List<String> state = List.of("--state", url);
        String runId;
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, state).keepRunsOnClose()) {
            runId = startRun(one, "long");
        }
        try (StateStore store = PostgresStateStore.open(PostgresLocation.parse(url), ActorDaemon.TABLES)) {
            Table<String, Run> runs = store.table(RunTables.RUNS);
            runs.put(runId, runs.get(runId).orElseThrow().toBuilder().ownerHost(null).build());
        }
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, state).keepRunsOnClose()) {
            assertEquals("RUNNING", status(one, runId), "re-attached, as before runs had owners");
            assertEquals(hostId(dirOne), stored(one, runId).ownerHost(), "and now one's");
            try (TestDaemon two = TestDaemon.start(dirTwo, runtimeTwo, GRACE, state)) {
                assertEquals(0, two.daemon().runs().activeCount());
                assertEquals("RUNNING", status(two, runId));
            }
        }
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, state)) {
            runtimeOne.last().exit(ExitStatus.exited(0));
            assertEquals("SUCCEEDED", one.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data()
                    .get("status").asText());
        }
    }

    @Test
    void shouldDeleteOnlyItsOwnRunsPastTheRetentionPeriod() throws Exception {
        List<String> state = List.of("--state", PG.database("retention"));
        List<String> shortRetention = List.of("--state", state.get(1), "--run-retention-secs", "1");
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne, GRACE, state);
             TestDaemon two = TestDaemon.start(dirTwo, runtimeTwo, GRACE, shortRetention)) {
            String onesRun = startRun(one, "ones");
            runtimeOne.last().exit(ExitStatus.exited(0));
            String twosRun = startRun(two, "twos");
            runtimeTwo.last().exit(ExitStatus.exited(0));
            for (TestDaemon d : List.of(one, two)) {
                String id = d == one ? onesRun : twosRun;
                assertEquals("SUCCEEDED", d.api().get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200)
                        .data().get("status").asText());
            }
            Thread.sleep(1100); // both finished longer ago than two's retention period
            two.daemon().retention().orElseThrow().sweep();
            two.api().get("/v2/actor-runs/" + twosRun).expect(404);
            assertEquals("SUCCEEDED", status(two, onesRun), "one's run is one's to delete (its log is one's)");
        }
    }

    @Test
    void shouldSettleEveryRunOfAStoreOfItsOwnWhateverHostItNames() throws Exception {
        List<String> rocksDb = List.of("--state", "rocksdb");
        String runId;
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, rocksDb).keepRunsOnClose()) {
            runId = startRun(one, "long");
        }
        // a state restored into a new state directory gets a new host id: its runs are still this daemon's
        Files.writeString(dirOne.resolve("state").resolve(RunOwner.FILE), "renamed-host\n");
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne.surviving(), GRACE, rocksDb)) {
            assertEquals("RUNNING", status(one, runId));
            assertEquals("renamed-host", stored(one, runId).ownerHost());
            runtimeOne.last().exit(ExitStatus.exited(0));
            assertEquals("SUCCEEDED", one.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data()
                    .get("status").asText());
        }
    }

    /**
     * Two daemons resurrecting one finished run at once: the first to take the run's owner lock resurrects it in a
     * container of its own; the other re-reads the run under the lock, finds it active on the first and is refused
     * (400 run-state-conflict naming the owner): one container, one owner writing the run.
     */
    @Test
    void shouldResurrectAFinishedRunOnceWhenTwoDaemonsAreAskedAtOnce() throws Exception {
        List<String> state = List.of("--state", PG.database("resurrect_race"));
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try (TestDaemon one = TestDaemon.start(dirOne, runtimeOne, GRACE, state);
             TestDaemon two = TestDaemon.start(dirTwo, runtimeTwo, GRACE, state)) {
            String runId = startRun(one, "race");
            runtimeOne.last().exit(ExitStatus.exited(0));
            awaitSucceeded(one, runId);
            for (int round = 1; round <= RACE_ROUNDS; round++) {
                CyclicBarrier together = new CyclicBarrier(2);
                List<Future<TestDaemon.Response>> answers = Stream.of(one, two).map(d -> callers.submit(() -> {
                    together.await();
                    return d.api().post("/v2/actor-runs/" + runId + "/resurrect", "");
                })).toList();
                TestDaemon.Response fromOne = answers.get(0).get();
                TestDaemon.Response fromTwo = answers.get(1).get();
                boolean oneWon = fromOne.status() == 200;
                TestDaemon winner = oneWon ? one : two;
                String rounds = "round " + round + ": " + fromOne.text() + " / " + fromTwo.text();
                assertEquals(200, (oneWon ? fromOne : fromTwo).status(), rounds);
                TestDaemon.Response refused = (oneWon ? fromTwo : fromOne).expect(400);
                assertEquals("run-state-conflict", refused.errorType(), rounds);
                assertTrue(refused.text().contains("host " + hostId(winner.dir())), rounds);
                assertEquals(round + 1, runtimeOne.containersOf(runId).size() + runtimeTwo.containersOf(runId).size(),
                        "the first container and one per round; " + rounds);
                assertEquals(hostId(winner.dir()), stored(winner, runId).ownerHost(), rounds);
                (oneWon ? runtimeOne : runtimeTwo).last().exit(ExitStatus.exited(0));
                awaitSucceeded(winner, runId);
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private static void awaitSucceeded(TestDaemon d, String runId) {
        assertEquals("SUCCEEDED", d.api().get("/v2/actor-runs/" + runId + "?waitForFinish=10").expect(200).data()
                .get("status").asText());
    }

    private static String startRun(TestDaemon d, String actorName) throws Exception {
        String actor = d.actor(actorName, "sleep", "60");
        String runId = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        TestRuns.awaitStatus(d.api(), runId, "RUNNING");
        assertEquals(hostId(d.dir()), stored(d, runId).ownerHost(), "a new run is its daemon's");
        return runId;
    }

    private static String status(TestDaemon d, String runId) {
        return d.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status").asText();
    }

    private static Run stored(TestDaemon d, String runId) {
        return d.daemon().store().table(RunTables.RUNS).get(runId).orElseThrow();
    }

    private static String hostId(Path dir) throws Exception {
        return Files.readString(dir.resolve("state").resolve(RunOwner.FILE)).strip();
    }
}
