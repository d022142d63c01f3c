package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.cluster.ClusterMembership;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.ContainerUrlRelay;
import io.actord.daemon.cluster.HostRecord;
import io.actord.daemon.cluster.RunRelay;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Router;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.ClusterPlacement;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunRecovery;
import io.actord.daemon.run.RunService;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The daemon's part in a cluster ({@code --cluster}), wired apart from {@link ActorDaemon}: the hosts route is
 * registered with the others, the membership starts once the API listens (its record carries the API's URL) and
 * follows the host memory runs hold; the requests for other hosts' runs are relayed to them ({@link RunRelay}), and
 * theirs are authenticated here.
 */
final class DaemonCluster implements AutoCloseable {
    private final Optional<ClusterConfig> config;
    private final String hostId;
    private final RunRelay relay;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Optional<ClusterPlacement> placement = Optional.empty();

    private DaemonCluster(Optional<ClusterConfig> config, String hostId) {
        this.config = config;
        this.hostId = hostId;
        this.relay = new RunRelay(hostId);
    }

    /**
     * Registers the hosts route and, in a cluster, the relay for the daemon of host id {@code hostId} (its runs'
     * owner); nothing joins yet.
     */
    static DaemonCluster register(DaemonConfig daemon, String hostId, Router router, Access access) {
        DaemonCluster cluster = new DaemonCluster(daemon.operations().cluster(), hostId);
        router.get(ClusterRoutes.PATH, r -> ClusterRoutes.answer(r, cluster.membership, access));
        cluster.config.ifPresent(c -> router.intercept(cluster.relay));
        return cluster;
    }

    /**
     * Recovers the runs the last daemon left ({@link RunService#recover}); in a cluster, first makes new runs wait
     * unplaced for the hosts' placement and starts this host's, which claims nothing until the host is a member.
     */
    RunRecovery.Report recover(RunService runs) {
        config.ifPresent(c -> placement = Optional.of(runs.placeInCluster(new ClusterPlacement.Cluster() {
            @Override
            public boolean member() {
                return membership.map(m -> m.state().member()).orElse(false);
            }

            @Override
            public OptionalLong largestCapacityMbytes() {
                List<HostRecord> hosts = membership.map(ClusterMembership::hosts).orElse(List.of());
                return hosts.stream().mapToLong(HostRecord::capacityMbytes).max();
            }
        })));
        return runs.recover();
    }

    /** {@code users}' authentication; in a cluster it also takes the requests other hosts relay here. */
    Authenticator authenticator(Authenticator users) {
        return config.isPresent() ? relay.authenticator(users) : users;
    }

    /**
     * Joins the cluster, if the daemon is in one, as the host whose API answers at {@code apiUrl}; from then on the
     * container URLs of other hosts' runs are relayed by {@code containers}, found by {@code byToken} (which reads
     * the state: called on {@code worker}).
     */
    void join(String apiUrl, RunService runs, ContainerAddressResolver containers,
              Function<String, Optional<Run>> byToken, Executor worker, Clock clock) {
        config.ifPresent(c -> {
            HostMemory memory = runs.hostMemory();
            ClusterMembership m = ClusterMembership.join(c, new HostRecord(hostId, apiUrl, memory.capacityMbytes(),
                    free(memory), clock.instant()), clock);
            runs.onStatusChange(run -> m.freeMemoryChanged(free(runs.hostMemory())));
            membership = Optional.of(m);
            relay.serve(m, runs::find);
            containers.serveRemote(new ContainerUrlRelay(hostId, m, byToken, worker));
        });
    }

    private static long free(HostMemory memory) {
        return Math.max(0, memory.capacityMbytes() - memory.heldMbytes());
    }

    @Override
    public void close() {
        placement.ifPresent(ClusterPlacement::close);
        membership.ifPresent(ClusterMembership::close);
    }
}
