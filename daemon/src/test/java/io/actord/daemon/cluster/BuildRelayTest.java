package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildStatus;
import io.actord.daemon.run.RunService;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Builds from source in a cluster (#26) with three daemons on one database and a real etcd, each with a scripted
 * builder: one is a gateway (no capacity), two has 8 GB and three 16 GB. A build posted to one is made on the member
 * with the most free memory, or queued on the largest when all are full, or refused when no member could hold it; its
 * log and abort go to its host through one; a build whose host is gone fails, and its waiters are answered.
 */
class BuildRelayTest {
    private static final String VERSION = """
            {"versionNumber":"0.1","sourceType":"SOURCE_FILES",
             "sourceFiles":[{"name":"Dockerfile","format":"TEXT","content":"FROM base\\nCMD [\\"exit\\",\\"0\\"]\\n"}]}""";

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dir;

    private final FakeImageBuilder builderOne = new FakeImageBuilder();
    private final FakeImageBuilder builderTwo = new FakeImageBuilder();
    private final FakeImageBuilder builderThree = new FakeImageBuilder();
    private final List<TestDaemon> daemons = new ArrayList<>();
    private TestDaemon one;
    private TestDaemon three;

    private void startThree(String database) throws Exception {
        String state = PG.database(database);
        one = start("one", builderOne, ClusterDaemons.gatewayFlags(ETCD.server(), state, "one"));
        start("two", builderTwo, withMemory(ClusterDaemons.flags(ETCD.server(), state, "two"), 8192));
        three = start("three", builderThree, withMemory(ClusterDaemons.flags(ETCD.server(), state, "three"), 16384));
        ClusterDaemons.awaitHosts(one, 3);
    }

    private TestDaemon start(String host, FakeImageBuilder builder, List<String> flags) {
        TestDaemon d = TestDaemon.start(dir.resolve(host), new FakeRuntime(), Duration.ofSeconds(1), flags,
                RunService.Settings.DEFAULTS.syncWait(), parts -> builder);
        daemons.add(d);
        return d;
    }

    private static List<String> withMemory(List<String> flags, long mbytes) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of("--host-memory-mb", Long.toString(mbytes)));
        return all;
    }

    @AfterEach
    void stopAll() {
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
    }

    /** An actor made on one, with version 0.1 to build. */
    private String actorWithVersion(String name) throws Exception {
        String actor = one.actor(name, "exit", "0");
        one.api().post("/v2/acts/" + actor + "/versions", VERSION).expect(201);
        return actor;
    }

    /** Posts a build of {@code memory} MB to one that {@code builder} makes, waiting until it is cancelled. */
    private String startWaitingBuild(String actor, int memory, FakeImageBuilder builder, String line)
            throws InterruptedException {
        builder.next(builder.untilCancelled(line));
        String id = one.api().post("/v2/acts/" + actor + "/builds?version=0.1&memory=" + memory, "").expect(201)
                .data().get("id").asText();
        builder.awaitStarted();
        return id;
    }

    private String hostOf(String buildId) {
        return one.daemon().actors().findBuild(buildId).orElseThrow().ownerHost();
    }

    @Test
    void shouldMakeABuildPostedToTheGatewayOnTheHostWithTheMostFreeMemoryAndAnswerItsLogAndAbortThrough()
            throws Exception {
        startThree("build_relay");
        String actor = actorWithVersion("relayed-build");

        String id = startWaitingBuild(actor, 4096, builderThree, "step 1 on three");

        assertEquals("three", hostOf(id), "three had the most free memory");
        assertEquals("RUNNING", one.api().get("/v2/actor-builds/" + id).expect(200).data().get("status").asText());
        assertTrue(one.api().get("/v2/actor-builds/" + id + "/log").expect(200).text().contains("step 1 on three"),
                "one relayed the log from three");
        assertTrue(one.api().get("/v2/logs/" + id).expect(200).text().contains("step 1 on three"),
                "and under /v2/logs too");
        assertEquals("ABORTED", one.api().post("/v2/actor-builds/" + id + "/abort").expect(200).data()
                .get("status").asText(), "three aborted its build at one's relay");
        assertEquals("ABORTED", one.api().get("/v2/actor-builds/" + id + "?waitForFinish=30").expect(200).data()
                .get("status").asText());
        assertEquals(List.of(), builderOne.seen(), "the gateway built nothing");
        assertEquals(List.of(), builderTwo.seen());
        assertEquals(1, builderThree.seen().size());
    }

    @Test
    void shouldQueueABuildOnTheLargestHostWhenEveryHostIsFull() throws Exception {
        startThree("build_relay_full");
        String actor = actorWithVersion("full-build");
        String big = startWaitingBuild(actor, 16384, builderThree, "the big one");
        awaitFree(one, "three", 0);

        String small = startWaitingBuild(actor, 8192, builderTwo, "the small one");
        assertEquals("two", hostOf(small), "three is full: two has the most free memory");
        awaitFree(one, "two", 0);

        String queued = one.api().post("/v2/acts/" + actor + "/builds?version=0.1&memory=8192", "").expect(201)
                .data().get("id").asText();
        assertEquals("three", hostOf(queued), "every host is full: three, the largest, queues it");
        assertEquals("READY", one.api().get("/v2/actor-builds/" + queued).expect(200).data().get("status").asText());

        for (String id : List.of(queued, small, big)) {
            one.api().post("/v2/actor-builds/" + id + "/abort").expect(200);
        }
        for (String id : List.of(queued, small, big)) {
            assertEquals("ABORTED", one.api().get("/v2/actor-builds/" + id + "?waitForFinish=30").expect(200).data()
                    .get("status").asText(), id);
        }
    }

    @Test
    void shouldRefuseABuildThatNoHostOfTheClusterCanHold() throws Exception {
        startThree("build_relay_none");
        String actor = actorWithVersion("huge-build");

        TestDaemon.Response refused = one.api().post("/v2/acts/" + actor + "/builds?version=0.1&memory=32768", "")
                .expect(400);

        assertEquals("invalid-value", refused.errorType());
        assertTrue(refused.text().contains("no host of the cluster can hold a build of 32768 MB"), refused.text());
        assertEquals(1, one.api().get("/v2/acts/" + actor + "/builds").expect(200).data().get("total").asInt(),
                "no build was stored besides the actor's imported one");
        assertEquals(List.of(), builderTwo.seen());
        assertEquals(List.of(), builderThree.seen());
    }

    @Test
    void shouldFailTheBuildsOfAHostThatIsGoneAndAnswerTheirWaiters() throws Exception {
        startThree("build_relay_gone");
        String actor = actorWithVersion("orphan-build");
        // A build that host "gone" was making when it died: its record is in the database, the host in no view.
        Build orphan = three.daemon().actors().buildStore().add(actor, "0.1", (seq, number) -> Build.ready("orphan"
                + seq, actor, one.daemon().users().local().id(), seq, number, Instant.now(), "version 0.1",
                Build.Meta.API, new Build.Options(false, false, 4096, 8192, 1800), "gone"), List.of());
        three.daemon().actors().buildStore().update(orphan.withStatus(BuildStatus.RUNNING, Instant.now()));

        TestDaemon.Response log = one.api().get("/v2/actor-builds/" + orphan.id() + "/log").expect(503);
        assertTrue(log.text().contains("host gone, which is not a live member"), log.text());
        assertEquals("FAILED", one.api().get("/v2/actor-builds/" + orphan.id() + "?waitForFinish=60").expect(200)
                .data().get("status").asText(), "a member's sweep failed it; the waiter on one was answered");
    }

    /** Waits until {@code d}'s view of the cluster shows {@code hostId} with {@code free} MB free. */
    private static void awaitFree(TestDaemon d, String hostId, long free) throws Exception {
        List<String> seen = new ArrayList<>();
        long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode h : d.admin("GET", ClusterRoutes.PATH, null).expect(200).data().get("items")) {
                if (h.get("hostId").asText().equals(hostId)) {
                    if (h.get("freeMbytes").asLong() == free) {
                        return;
                    }
                    seen.add(h.toString());
                }
            }
            Thread.sleep(100);
        }
        fail("host " + hostId + " never showed " + free + " MB free: " + seen.subList(Math.max(0, seen.size() - 2),
                seen.size()));
    }
}
