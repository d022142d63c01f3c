package io.actord.daemon.compat;

import io.actord.daemon.cluster.EtcdServer;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link ApifyClientContract} on a cluster (#26 "Done when"): the client talks to host1, a gateway that takes no
 * runs, and every run is placed on host2 or host3 ({@link ThreeHosts}), which fetch the actors' layers from host1.
 * The client's build from source is posted to host1 too, which relays it to host2 or host3 (it has no capacity): the
 * worker fetches the node base image's layers from host1, builds, and runs the build where it is placed. All three
 * hosts have the real runtime. Needs root, the real runtime, etcd and PostgreSQL; skips, printing why,
 * without them.
 */
@ApifyCompat
@Tag("privileged")
class ApifyClientClusterIT extends ApifyClientContract {
    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @BeforeAll
    static void requirements() {
        ItRuntime.unavailableReason().ifPresent(why -> System.out.println("SKIPPED ApifyClientClusterIT: " + why));
        assumeTrue(ItRuntime.unavailableReason().isEmpty(), "ApifyClientClusterIT needs the real runtime");
    }

    @Override
    Hosts start(Path dir) throws Exception {
        List<ItRuntime.Choice> runtimes = new ArrayList<>();
        ThreeHosts hosts;
        try {
            for (String host : List.of(ThreeHosts.GATEWAY, ThreeHosts.WORKERS.get(0), ThreeHosts.WORKERS.get(1))) {
                runtimes.add(ItRuntime.real(dir.resolve(host + "-runtime")));
            }
            hosts = ThreeHosts.start(ETCD.server(), PG.database("client_cluster"), dir, runtimes.get(0).runtime(),
                    List.of(runtimes.get(1).runtime(), runtimes.get(2).runtime()), Duration.ofSeconds(5), List.of());
        } catch (Exception | Error e) {
            runtimes.forEach(ItRuntime.Choice::close);
            throw e;
        }
        return new Hosts() {
            @Override
            public TestDaemon api() {
                return hosts.gateway();
            }

            /** The actors are imported on host1 (the payload's rootfs and the hello sample's). */
            @Override
            public ItRuntime.Choice actors() {
                return runtimes.get(0);
            }

            @Override
            public void checkAfterScenario() {
                hosts.assertRunsOnWorkers();
                hosts.assertBuildsOnWorkers();
            }

            @Override
            public void close() {
                try {
                    hosts.close();
                } finally {
                    runtimes.forEach(ItRuntime.Choice::close);
                }
            }
        };
    }
}
