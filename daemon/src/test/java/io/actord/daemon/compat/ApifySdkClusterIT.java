package io.actord.daemon.compat;

import io.actord.daemon.cluster.EtcdServer;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ContainerRuntime;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SdkActorsContract} on a cluster (#26 "Done when"): the API and admin of host1, a gateway that takes no runs
 * (its runtime is the fake one, which would run nothing real), and the runs in real containers of the SDK rootfs on
 * host2 and host3 ({@link ThreeHosts}), which fetch the actors' layers from host1. Each test ends by asserting that
 * every run of it was placed on host2 or host3. Needs root, etcd and PostgreSQL; skips, printing why, without them.
 */
@ApifyCompat
@Tag("privileged")
class ApifySdkClusterIT extends SdkActorsContract {
    @RegisterExtension
    static final EtcdServer.Fixture ETCD = new EtcdServer.Fixture();
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dir;
    private final List<SdkContainers> containers = new ArrayList<>();
    private ThreeHosts hosts;

    @BeforeAll
    static void requirements() {
        SdkContainers.requirements("ApifySdkClusterIT");
    }

    @Override
    TestDaemon startDaemon(Duration grace, List<String> flags) throws Exception {
        List<ContainerRuntime> runtimes = new ArrayList<>();
        for (String worker : ThreeHosts.WORKERS) {
            SdkContainers c = SdkContainers.open(dir.resolve(worker + "-runtime"), "actord-sdk-cluster-" + worker);
            containers.add(c);
            runtimes.add(c.runtime());
        }
        hosts = ThreeHosts.start(ETCD.server(), PG.database("sdk_cluster"), dir, new FakeRuntime(), runtimes, grace,
                flags);
        return hosts.gateway();
    }

    @Override
    String actor(String name, String script) throws Exception {
        return daemon.actor(name, NodeScripts.ROOTFS, List.of("/usr/bin/node", "/app/" + script));
    }

    /** The run's container is on one worker; the other sent it nothing. */
    @Override
    List<Signal> signalsOf(String runId) {
        List<Signal> all = new ArrayList<>();
        containers.forEach(c -> all.addAll(c.runtime().signalsOf(runId)));
        return all;
    }

    @Override
    boolean eventsListening(String runId) {
        return hosts.workers().stream().anyMatch(w -> w.daemon().endpoints().events().listening(runId));
    }

    /** As ApifySdkIT: one core each, so the shared test host finishes in reasonable time. */
    @Override
    int memoryMbytes() {
        return 4096;
    }

    /**
     * Once the contract closed the gateway: checks where the runs were placed, then closes the workers and removes
     * the test's cgroup subtrees.
     */
    @Override
    void afterDaemon() {
        try {
            if (hosts != null) {
                try {
                    hosts.assertRunsOnWorkers();
                } finally {
                    hosts.closeWorkers();
                }
            }
        } finally {
            containers.forEach(SdkContainers::release);
        }
    }
}
