package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.actor.Build;
import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.cluster.ClusterMembership;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.ContainerUrlRelay;
import io.actord.daemon.cluster.HostFailover;
import io.actord.daemon.cluster.HostRecord;
import io.actord.daemon.cluster.LayerPeers;
import io.actord.daemon.cluster.RunRelay;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Router;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.ClusterPlacement;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.run.RunRecovery;
import io.actord.daemon.run.RunService;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.file.Path;
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
 * theirs are authenticated here; runs move when hosts go or are drained ({@link HostFailover}).
 */
final class DaemonCluster implements AutoCloseable {
    private final Optional<ClusterConfig> config;
    private final String hostId;
    private final RunOwner owner;
    private final RunRelay relay;
    private final LayerPeers layers;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Optional<HostFailover> failover = Optional.empty();
    private volatile Optional<ClusterPlacement> placement = Optional.empty();

    private DaemonCluster(Optional<ClusterConfig> config, RunOwner owner, LayerStore layers, ImportLimits limits) {
        this.config = config;
        this.hostId = owner.hostId();
        this.owner = owner;
        this.relay = new RunRelay(hostId);
        this.layers = new LayerPeers(hostId, layers, limits, () -> membership);
    }

    /**
     * Registers the hosts and drain routes and, in a cluster, the relay for the daemon whose state is in
     * {@code daemon}'s state directory and store ({@code sharedStore}) and the route that gives other hosts the
     * layers of {@code layers}; nothing joins yet.
     */
    static DaemonCluster register(DaemonConfig daemon, boolean sharedStore, Router router, Access access,
                                  LayerStore layers) {
        Optional<ClusterConfig> config = daemon.operations().cluster();
        RunOwner owner = RunOwner.load(daemon.stateDir(), sharedStore, daemon.operations().hostId());
        DaemonCluster cluster = new DaemonCluster(config, config.isPresent() ? owner.inCluster() : owner, layers,
                daemon.imageLimits());
        router.get(ClusterRoutes.PATH, r -> ClusterRoutes.answer(r, cluster.membership, cluster.failover, access));
        router.add(HttpMethod.POST, ClusterRoutes.DRAIN, r -> ClusterRoutes.drain(r, config.isPresent(),
                cluster.failover, access, cluster.hostId, daemon.abortGrace()));
        cluster.config.ifPresent(c -> {
            router.intercept(cluster.relay);
            router.get(LayerPeers.PATH, cluster.layers::answer);
        });
        return cluster;
    }

    /** A build's layer directories as {@code local} gives them, in a cluster fetched first from a peer if not here. */
    Function<Build, List<Path>> layerPaths(Function<Build, List<Path>> local) {
        return config.isPresent() ? build -> layers.paths(build, local) : local;
    }

    /** The daemon as the owner of runs: its host id, and in a cluster, that ownerless runs are placement's. */
    RunOwner owner() {
        return owner;
    }

    /** Whether this host may claim runs now: outside a cluster always; in one while a member and not drained. */
    boolean claiming() {
        return config.isEmpty() || failover.map(HostFailover::claiming).orElse(false);
    }

    /**
     * Recovers the runs the last daemon left ({@link RunService#recover}); in a cluster, first makes new runs wait
     * unplaced for the hosts' placement and starts this host's, which claims nothing until the host is a member.
     */
    RunRecovery.Report recover(RunService runs) {
        config.ifPresent(c -> placement = Optional.of(runs.placeInCluster(new ClusterPlacement.Cluster() {
            @Override
            public boolean claiming() {
                return DaemonCluster.this.claiming();
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
            failover = Optional.of(HostFailover.start(m, runs.migration(),
                    () -> m.freeMemoryChanged(free(runs.hostMemory()))));
        });
    }

    private static long free(HostMemory memory) {
        return Math.max(0, memory.capacityMbytes() - memory.heldMbytes());
    }

    @Override
    public void close() {
        placement.ifPresent(ClusterPlacement::close);
        failover.ifPresent(HostFailover::close);
        membership.ifPresent(ClusterMembership::close);
    }
}
