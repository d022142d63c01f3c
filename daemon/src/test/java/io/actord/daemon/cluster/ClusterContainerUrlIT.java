package io.actord.daemon.cluster;

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
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A run's container URL through a host that does not run it (#26 routing), with a real, isolated container on the
 * run's host: the payload's {@code serve-http 4321} listens on the loopback of the run's own network namespace, which
 * only its host's proxy reaches, so the answer can only have come through that host. The other host has the fake
 * runtime: it runs nothing.
 */
@Tag("privileged")
class ClusterContainerUrlIT {
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
        ItRuntime.unavailableReason().ifPresent(why -> System.out.println("SKIPPED ClusterContainerUrlIT: " + why));
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), "ClusterContainerUrlIT needs the real runtime");
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

    /** Long enough for a real container's server to come up behind a request sent at once. */
    private static List<String> withWait(List<String> flags) {
        List<String> all = new ArrayList<>(flags);
        all.addAll(List.of("--container-wait-ms", "20000"));
        return all;
    }
}
