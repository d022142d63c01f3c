package io.actord.daemon.compat;

import io.actord.daemon.actor.ActorTables;
import io.actord.daemon.actor.Build;
import io.actord.daemon.cluster.ClusterDaemons;
import io.actord.daemon.cluster.EtcdServer;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.Scan;
import io.actord.daemon.testing.TestDaemon;
import io.actord.runtime.ContainerRuntime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The cluster of #26's "Done when" for the Apify contracts: three daemons on one PostgreSQL database and one etcd.
 * host1 is a gateway (capacity 0: it answers the API and the admin socket and takes no runs), host2 and host3 are
 * workers. A contract talks to host1 only, so each run it makes is placed on host2 or host3, which fetch the layers
 * of the actors imported on host1 from it; {@link #assertRunsOnWorkers()} checks that where the contract ends.
 */
final class ThreeHosts implements AutoCloseable {
    static final String GATEWAY = "host1";
    static final List<String> WORKERS = List.of("host2", "host3");

    private final TestDaemon gateway;
    private final List<TestDaemon> workers;

    private ThreeHosts(TestDaemon gateway, List<TestDaemon> workers) {
        this.gateway = gateway;
        this.workers = workers;
    }

    /**
     * Starts the gateway on {@code gatewayRuntime} and one worker on each of {@code workerRuntimes} (host2, host3),
     * each in a directory of its own under {@code dir}, all with the grace period and the extra {@code flags}, and
     * returns once each has joined and sees the three. The daemons close their runtimes.
     */
    static ThreeHosts start(EtcdServer etcd, String state, Path dir, ContainerRuntime gatewayRuntime,
                            List<ContainerRuntime> workerRuntimes, Duration grace, List<String> flags) throws Exception {
        List<TestDaemon> started = new ArrayList<>();
        try {
            started.add(TestDaemon.start(Files.createDirectories(dir.resolve(GATEWAY)), gatewayRuntime, grace,
                    with(ClusterDaemons.gatewayFlags(etcd, state, GATEWAY), flags)));
            for (int i = 0; i < WORKERS.size(); i++) {
                started.add(TestDaemon.start(Files.createDirectories(dir.resolve(WORKERS.get(i))),
                        workerRuntimes.get(i), grace, with(ClusterDaemons.flags(etcd, state, WORKERS.get(i)), flags)));
            }
            // a worker claims runs only once it is a member; the gateway places nothing before it sees them
            for (TestDaemon d : started) {
                ClusterDaemons.awaitHosts(d, 1 + WORKERS.size());
            }
            return new ThreeHosts(started.get(0), List.copyOf(started.subList(1, started.size())));
        } catch (Exception | Error e) {
            closeAll(started, e);
            throw e;
        }
    }

    /** host1: the daemon the contracts talk to. */
    TestDaemon gateway() {
        return gateway;
    }

    /** host2 and host3. */
    List<TestDaemon> workers() {
        return workers;
    }

    /**
     * Asserts that the cluster holds runs and that each is owned by host2 or host3, but for one that ended while it
     * waited for a host (read from a worker's view of the shared state, so it holds after the gateway closed); prints
     * how many each host has.
     */
    void assertRunsOnWorkers() {
        Map<String, Integer> perHost = new TreeMap<>();
        List<String> elsewhere = new ArrayList<>();
        try (CloseableIterator<Entry<String, Run>> runs = workers.get(0).daemon().store().table(RunTables.RUNS)
                .scan(Scan.all())) {
            while (runs.hasNext()) {
                Run run = runs.next().value();
                perHost.merge(String.valueOf(run.ownerHost()), 1, Integer::sum);
                // a run aborted while it waited for a host ends with none (the client's start-then-abort can be)
                boolean endedWaiting = run.ownerHost() == null && run.status().isTerminal() && run.container() == null;
                if (!endedWaiting && (run.ownerHost() == null || !WORKERS.contains(run.ownerHost()))) {
                    elsewhere.add(run.id() + " on " + run.ownerHost() + " (" + run.status() + ")");
                }
            }
        }
        System.out.println("runs per host: " + perHost);
        assertFalse(perHost.isEmpty(), "the scenario made runs");
        assertTrue(elsewhere.isEmpty(), "runs not placed on " + WORKERS + ": " + elsewhere);
    }

    /**
     * Checks that each build from source (a build with a host; imports have none) was made on host2 or host3, so the
     * gateway relayed every build's POST, and that there was one.
     */
    void assertBuildsOnWorkers() {
        Map<String, String> hostOf = new TreeMap<>();
        try (CloseableIterator<Entry<String, Build>> builds = workers.get(0).daemon().store()
                .table(ActorTables.BUILDS).scan(Scan.all())) {
            builds.forEachRemaining(e -> {
                if (e.value().ownerHost() != null) {
                    hostOf.put(e.value().id(), e.value().ownerHost() + " (" + e.value().status() + ")");
                }
            });
        }
        System.out.println("builds from source and their hosts: " + hostOf);
        assertFalse(hostOf.isEmpty(), "the scenario built from source");
        assertTrue(hostOf.values().stream().allMatch(h -> WORKERS.contains(h.split(" ")[0])),
                "builds not made on " + WORKERS + ": " + hostOf);
    }

    /** Closes the gateway, then the workers (and with them their runtimes and containers). */
    @Override
    public void close() {
        List<TestDaemon> all = new ArrayList<>(workers);
        all.add(0, gateway);
        closeAll(all, null);
    }

    /** Closes the workers only: for a contract that closes the daemon it talks to, the gateway, itself. */
    void closeWorkers() {
        closeAll(workers, null);
    }

    private static void closeAll(List<TestDaemon> daemons, Throwable cause) {
        RuntimeException failed = null;
        for (TestDaemon d : daemons) {
            try {
                d.close();
            } catch (RuntimeException e) {
                if (cause != null) {
                    cause.addSuppressed(e);
                } else if (failed == null) {
                    failed = e;
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    private static List<String> with(List<String> cluster, List<String> more) {
        List<String> all = new ArrayList<>(cluster);
        all.addAll(more);
        return all;
    }
}
