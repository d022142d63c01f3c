package io.actord.daemon.cluster;

import io.actord.daemon.proxy.RemoteRuns;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.Table;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.daemon.testing.TestWebServer;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Routing in a cluster (#26) with two daemons on one database and a real etcd: a request that needs the run's host,
 * sent to the other host, is relayed there (an abort, a status message, the log, followed or not) as the caller that
 * sent it; a client cannot pose as a relaying host, and the cluster's token vouches for a caller only on the routes
 * hosts relay; a command for a run whose host left answers 503, and so does the container URL of a run waiting for
 * placement.
 */
class RunRelayTest {
    private static final Duration GRACE = Duration.ofSeconds(1);

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
    private TestDaemon one;
    private TestDaemon two;
    /** The database of the test's hosts. */
    private String state;

    /**
     * Starts hosts one and two on database {@code database} and a run on two; two's containers outlive it (a test
     * stops it to see its run's host leave).
     */
    private String startBothWithARunOnTwo(String database) throws Exception {
        startBoth(database);
        return startRun(two);
    }

    private void startBoth(String database) throws Exception {
        state = PG.database(database);
        // one takes no runs: each test's run goes to two
        one = TestDaemon.start(dirOne, runtimeOne, GRACE, ClusterDaemons.gatewayFlags(ETCD.server(), state, "one"));
        two = start(dirTwo, runtimeTwo.surviving(), state, "two");
        ClusterDaemons.awaitHosts(one, 2);
    }

    @AfterEach
    void stopBoth() {
        if (two != null) {
            two.close();
        }
        if (one != null) {
            one.close();
        }
    }

    @Test
    void shouldSendCommandsToARunThroughAHostThatDoesNotRunIt() throws Exception {
        String runId = startBothWithARunOnTwo("relay_abort");
        one.api().put("/v2/actor-runs/" + runId, "{\"statusMessage\":\"set through one\"}").expect(200);
        assertEquals("set through one", two.api().get("/v2/actor-runs/" + runId).expect(200).data()
                .get("statusMessage").asText(), "two stored the message one relayed");

        for (int i = 0; i < 2; i++) {
            one.api().send(HttpRequest.newBuilder(one.api().base().resolve("/v2/actor-runs/" + runId + "/charge"))
                    .header("Content-Type", "application/json").header("idempotency-key", "k1")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"eventName\":\"page\",\"count\":2}"))).expect(201);
        }
        assertEquals(2, two.api().get("/v2/actor-runs/" + runId).expect(200).data().get("chargedEventCounts")
                .get("page").asLong(), "charged on two once: the idempotency key went with the relay");

        one.api().post("/v2/actor-runs/" + runId + "/abort").expect(200);
        assertEquals("ABORTED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200)
                .data().get("status").asText(), "two, which runs it, aborted it");
        assertEquals(List.of(Signal.SIGKILL), runtimeTwo.last().signals(), "two killed its container");
        assertEquals(List.of(), runtimeOne.created(), "one made no container");
    }

    @Test
    void shouldResurrectARunOnItsLastHostThroughAnother() throws Exception {
        String runId = startBothWithARunOnTwo("relay_resurrect");
        runtimeTwo.last().exit(ExitStatus.exited(0));
        assertEquals("SUCCEEDED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200).data()
                .get("status").asText());

        one.api().post("/v2/actor-runs/" + runId + "/resurrect").expect(200);
        TestRuns.awaitStatus(two.api(), runId, "RUNNING");
        assertEquals(2, runtimeTwo.created().size(), "two, its last host, made its new container");
        assertEquals(List.of(), runtimeOne.created());
    }

    @Test
    void shouldResurrectARunWhoseLastHostLeftOnAHostWithRoom(@TempDir Path dirThree) throws Exception {
        startBoth("relay_resurrect_elsewhere");
        String runId = startRun(one); // its build's layer is one's, which three fetches: two's would be gone with two
        runtimeTwo.awaitCreated(1, ClusterDaemons.HANG).exit(ExitStatus.exited(0));
        assertEquals("SUCCEEDED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200).data()
                .get("status").asText());
        two.close();
        two = null;
        ClusterDaemons.awaitHosts(one, 1);
        FakeRuntime runtimeThree = new FakeRuntime();
        try (TestDaemon three = start(dirThree, runtimeThree, state, "three")) {
            ClusterDaemons.awaitHosts(one, 2);
            // one, a gateway, has no room; two, the run's last host, is gone: three takes it
            one.api().post("/v2/actor-runs/" + runId + "/resurrect").expect(200);
            runtimeThree.awaitCreated(1, ClusterDaemons.HANG);
            assertEquals("RUNNING", TestRuns.awaitStatus(one.api(), runId, "RUNNING").get("status").asText());
            assertEquals("three", new RunRepository(one.daemon().store()).get(runId).orElseThrow().ownerHost());
            assertEquals(List.of(), runtimeOne.created());
            one.api().post("/v2/actor-runs/" + runId + "/abort").expect(200);
            assertEquals("ABORTED", one.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200)
                    .data().get("status").asText(), "and its commands go to three");
        }
    }

    @Test
    void shouldServeARunsLogThroughAHostThatDoesNotRunIt() throws Exception {
        String runId = startBothWithARunOnTwo("relay_log");
        runtimeTwo.last().write("first line from two\n");
        awaitLog(one, runId, "first line from two");

        HttpRequest follow = HttpRequest.newBuilder(one.api().base().resolve("/v2/actor-runs/" + runId
                + "/log?stream=1")).header("Authorization", "Bearer " + one.token()).build();
        HttpResponse<Stream<String>> followed = HttpClient.newHttpClient().send(follow,
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, followed.statusCode());
        Iterator<String> lines = followed.body().iterator();
        List<String> seen = new ArrayList<>();
        while (seen.stream().noneMatch(l -> l.endsWith("first line from two"))) {
            seen.add(lines.next());
        }
        // what two writes from now on reaches the client of one while it follows
        runtimeTwo.last().write("second line from two\n");
        runtimeTwo.last().exit(ExitStatus.exited(0));
        lines.forEachRemaining(seen::add);
        assertTrue(seen.stream().anyMatch(l -> l.endsWith(" second line from two")), seen.toString());
        assertTrue(seen.get(seen.size() - 1).contains("The container exited"), "the follow ended with the run: "
                + seen);

        String finished = one.api().get("/v2/logs/" + runId).expect(200).text();
        assertTrue(finished.contains("second line from two"), "a finished run's log is still on two: " + finished);
    }

    @Test
    void shouldServeARunsContainerUrlThroughAHostThatDoesNotRunIt() throws Exception {
        startBoth("relay_container_url");
        try (TestWebServer web = new TestWebServer()) {
            String actor = two.actor("web", two.rootfs(), List.of("sleep", "300"),
                    Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
            String runId = two.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
            String url = TestRuns.awaitStatus(two.api(), runId, "RUNNING").get("containerUrl").asText();
            String path = URI.create(url).getPath();

            TestDaemon.Response page = one.anonymous().get(path + "headers").expect(200);
            assertTrue(page.text().toLowerCase(Locale.ROOT).contains(RemoteRuns.RELAYED_BY.toLowerCase(Locale.ROOT)
                    + ": one"),
                    "two's run answered, relayed by one: " + page.text());
            String unknown = path.substring(0, path.length() - 11) + "aaaaaaaaaa/";
            assertEquals(404, one.anonymous().get(unknown + "headers").status(), "a token no host has");
        }
    }

    @Test
    void shouldAnswerUnavailableForTheContainerUrlOfAnUnplacedRun() throws Exception {
        String runId = startBothWithARunOnTwo("relay_unplaced");
        String path = URI.create(two.api().get("/v2/actor-runs/" + runId).expect(200).data().get("containerUrl")
                .asText()).getPath();
        // as a migration leaves it (#26): active, no host, no container
        Table<String, Run> runs = one.daemon().store().table(RunTables.RUNS);
        runs.put(runId, runs.get(runId).orElseThrow().toBuilder().ownerHost(null).container(null).build());

        TestDaemon.Response page = one.anonymous().get(path);
        assertEquals(503, page.status(), page.text());
        assertTrue(page.text().contains("waits to be placed"), page.text());
    }

    @Test
    void shouldRefuseAClientThatPosesAsARelayingHost() throws Exception {
        String runId = startBothWithARunOnTwo("relay_forged");
        for (TestDaemon d : List.of(one, two)) {
            TestDaemon.Response forged = d.anonymous().send(abort(d, runId)
                    .header(RelayHeaders.TOKEN, "a-guess").header(RelayHeaders.CALLER, "kind=admin&user=x&name=y"));
            assertEquals("invalid-token", forged.expect(401).errorType());
            TestDaemon.Response tokenless = d.anonymous().send(abort(d, runId)
                    .header(RelayHeaders.CALLER, "kind=admin&user=x&name=y"));
            assertEquals("token-not-provided", tokenless.expect(401).errorType(), "the caller header alone"
                    + " is not looked at");
        }
        assertEquals("RUNNING", two.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status")
                .asText());
    }

    @Test
    void shouldBelieveARelayedCallerOnlyOnTheRoutesHostsRelay() throws Exception {
        String runId = startBothWithARunOnTwo("relay_routes_only");
        String token = clusterToken();
        String admin = "kind=admin&user=x&name=y";
        List<HttpRequest.Builder> notRelayed = List.of(
                HttpRequest.newBuilder(two.api().base().resolve("/v2/users/me")).GET(),
                HttpRequest.newBuilder(two.api().base().resolve("/v2/acts")).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"planted\"}")));
        for (HttpRequest.Builder request : notRelayed) {
            TestDaemon.Response refused = two.anonymous().send(request.header(RelayHeaders.TOKEN, token)
                    .header(RelayHeaders.CALLER, admin).header(RelayHeaders.FROM, "one"));
            assertEquals("insufficient-permissions", refused.expect(403).errorType(), refused.text());
        }
        assertEquals(404, two.admin("GET", "/v2/acts/y~planted", null).status(), "the refused request made no actor");

        two.anonymous().send(abort(two, runId).header(RelayHeaders.TOKEN, token).header(RelayHeaders.CALLER, admin)
                .header(RelayHeaders.FROM, "one")).expect(200);
        assertEquals("ABORTED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200)
                .data().get("status").asText(), "a relayed abort is still taken");
    }

    @Test
    void shouldAnswerUnavailableForARunWhoseHostLeftTheCluster() throws Exception {
        String runId = startBothWithARunOnTwo("relay_left");
        two.keepRunsOnClose().close();
        two = null;
        ClusterDaemons.awaitHosts(one, 1);
        // one settles the run of the host that left within moments (HostFailureTest): until then the command is
        // refused as one for a host that is gone, afterwards as one for a run that moves to a new host (one is a
        // gateway: none); an abort would be taken then, where the run waits (ClusterPlacementTest)
        TestDaemon.Response refused = one.api().post("/v2/actor-runs/" + runId + "/reboot");
        assertEquals("service-unavailable", refused.expect(503).errorType());
        assertTrue(refused.text().contains("host two, which is not a live member")
                || refused.text().contains("is moving to another host"), refused.text());
        assertEquals("RUNNING", one.api().get("/v2/actor-runs/" + runId).expect(200).data().get("status")
                .asText(), "the run waits for a host");
    }

    private static TestDaemon start(Path dir, ContainerRuntime runtime, String state, String hostId) {
        return TestDaemon.start(dir, runtime, GRACE, ClusterDaemons.flags(ETCD.server(), state, hostId));
    }

    /** The cluster's token as the hosts keep it in etcd (made by the first host that joined). */
    private static String clusterToken() throws Exception {
        try (Client etcd = Client.builder().endpoints(ETCD.server().endpoints()).build()) {
            List<KeyValue> kvs = etcd.getKVClient().get(ByteSequence.from(ClusterToken.KEY, StandardCharsets.UTF_8))
                    .get(ClusterDaemons.HANG.toSeconds(), TimeUnit.SECONDS).getKvs();
            assertEquals(1, kvs.size(), "the hosts made one token");
            return kvs.get(0).getValue().toString(StandardCharsets.US_ASCII);
        }
    }

    /** A run on {@code d}, RUNNING. */
    private static String startRun(TestDaemon d) throws Exception {
        String actor = d.actor("sleeper", "sleep", "60");
        String runId = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        TestRuns.awaitStatus(d.api(), runId, "RUNNING");
        return runId;
    }

    private static HttpRequest.Builder abort(TestDaemon d, String runId) {
        return HttpRequest.newBuilder(d.api().base().resolve("/v2/actor-runs/" + runId + "/abort"))
                .POST(HttpRequest.BodyPublishers.noBody());
    }

    /** The run's log as {@code d} serves it, once it holds {@code text} (the log is written in the background). */
    private static void awaitLog(TestDaemon d, String runId, String text) throws Exception {
        long deadline = System.nanoTime() + ClusterDaemons.HANG.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = d.api().get("/v2/actor-runs/" + runId + "/log").expect(200).text();
            if (last.contains(text)) {
                return;
            }
            Thread.sleep(50);
        }
        fail("no '" + text + "' in the log within " + ClusterDaemons.HANG + ": " + last);
    }
}
