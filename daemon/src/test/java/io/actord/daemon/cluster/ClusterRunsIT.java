package io.actord.daemon.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs in real containers on a cluster of two hosts (#26). A run's container URL through a host that does not run it
 * (routing): the payload's {@code serve-http 4321} listens on the loopback of the run's own network namespace, which
 * only its host's proxy reaches, so the answer can only have come through that host (the other host has the fake
 * runtime: it runs nothing). A build made on one host runs on another ("a host that lacks a build's layers fetches
 * them by digest from a peer that has them"): host two has none of the build's layers until its run starts, then has
 * each, and the run succeeds; the layer route refuses a client; and once the only host that has a layer is gone, a
 * run of it elsewhere fails with a message that names the layer.
 */
@Tag("privileged")
class ClusterRunsIT {
    private static final String HELLO = "hello from payload\n";

    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;

    @BeforeAll
    static void requirements() {
        ItRuntime.unavailableReason().ifPresent(why -> System.out.println("SKIPPED ClusterRunsIT: " + why));
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), "ClusterRunsIT needs the real runtime");
    }

    @Test
    void shouldServeAnIsolatedRunsServerThroughAHostThatDoesNotRunIt() throws Exception {
        String state = PG.database("cluster_container_url");
        try (ItRuntime.Choice real = ItRuntime.real(dirTwo);
             TestDaemon one = TestDaemon.start(dirOne, new FakeRuntime(), Duration.ofSeconds(3),
                     ClusterDaemons.gatewayFlags(ETCD.server(), state, "one"));
             TestDaemon two = TestDaemon.start(dirTwo, real.runtime(), Duration.ofSeconds(3), withWait(
                     ClusterDaemons.flags(ETCD.server(), state, "two")))) {
            ClusterDaemons.awaitHosts(one, 2);
            String actor = real.actor(two, "web", "serve-http", "4321");
            String runId = two.api().post("/v2/acts/" + actor + "/runs?memory=128", "{}").expect(201).data()
                    .get("id").asText();
            // placed on two (one takes no runs), it is relayed there once it names its host
            String url = TestRuns.awaitStatus(two.api(), runId, "RUNNING").get("containerUrl").asText();

            // sent at once: two's proxy waits for the starting server, one's relay for two
            TestDaemon.Response page = one.anonymous().get(URI.create(url).getPath()).expect(200);
            assertEquals(HELLO, page.text());

            one.api().post("/v2/actor-runs/" + runId + "/abort").expect(200);
            assertEquals("ABORTED", two.api().get("/v2/actor-runs/" + runId + "?waitForFinish=30").expect(200)
                    .data().get("status").asText());
            assertEquals(404, one.anonymous().get(URI.create(url).getPath()).status(), "a finished run's URL");
        }
    }

    @Test
    void shouldRunABuildOfAnotherHostWithTheLayersItFetches() throws Exception {
        String state = PG.database("layer_peers");
        try (ItRuntime.Choice realOne = ItRuntime.real(dirOne);
             ItRuntime.Choice realTwo = ItRuntime.real(dirTwo);
             TestDaemon two = TestDaemon.start(dirTwo, realTwo.runtime(), Duration.ofSeconds(3),
                     ClusterDaemons.flags(ETCD.server(), state, "two"))) {
            String actor;
            String lost;
            List<String> layers;
            // one is a gateway: every run is placed on two
            try (TestDaemon one = TestDaemon.start(dirOne, realOne.runtime(), Duration.ofSeconds(3),
                    ClusterDaemons.gatewayFlags(ETCD.server(), state, "one"))) {
                ClusterDaemons.awaitHosts(two, 2);
                actor = realOne.actor(one, "made-on-one", "exit", "0");
                lost = one.actor("only-on-one", otherRootfs(dirOne.resolve("other-rootfs")),
                        ItRuntime.payloadCommand("exit", "0"));
                layers = layersOf(one, actor);
                assertFalse(layers.isEmpty(), "a rootfs build has layers");
                layers.forEach(l -> assertFalse(storedOn(dirTwo, l), "host two has no layer before its run"));

                assertEquals(403, one.api().get(LayerPeers.PATH.replace("{diffId}", layers.get(0))).status(),
                        "the layer route is the hosts', not a client's");

                JsonNode run = two.api().post("/v2/acts/" + actor + "/runs?memory=128&waitForFinish=60", "{}")
                        .expect(201).data();
                assertEquals("SUCCEEDED", run.get("status").asText(), run.toString());
                layers.forEach(l -> assertTrue(storedOn(dirTwo, l), "host two stored layer " + l));
            }

            // Host one is stopped; its record lives until its lease lapses, so host two still asks it, in vain.
            JsonNode failed = two.api().post("/v2/acts/" + lost + "/runs?memory=128&waitForFinish=60", "{}")
                    .expect(201).data();
            assertEquals("FAILED", failed.get("status").asText(), failed.toString());
            String log = two.api().get("/v2/actor-runs/" + failed.get("id").asText() + "/log").text();
            assertTrue(log.contains("no other live host gave it"), log);
        }
    }

    private static List<String> layersOf(TestDaemon daemon, String actor) {
        return daemon.daemon().actors().builds(actor, 0, 1, false).items().get(0).layers();
    }

    /** The payload's rootfs with one file more: a layer of its own. */
    private static Path otherRootfs(Path dir) throws Exception {
        Process cp = new ProcessBuilder("cp", "-a", ItRuntime.payloadRootfs().toString(), dir.toString())
                .inheritIO().start();
        assertEquals(0, cp.waitFor(), "cp -a of the payload rootfs");
        Files.writeString(dir.resolve("only-on-one"), "a file no other layer has\n");
        return dir;
    }

    private static boolean storedOn(Path dir, String diffId) {
        return Files.isDirectory(dir.resolve("state/layers/sha256").resolve(diffId.substring(diffId.indexOf(':') + 1)));
    }

    /** Long enough for a real container's server to come up behind a request sent at once. */
    private static List<String> withWait(List<String> flags) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of("--container-wait-ms", "20000"));
        return all;
    }
}
