package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.actor.Build;
import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.cluster.ClusterMembership;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.ContainerUrlRelay;
import io.actord.daemon.cluster.HostRecord;
import io.actord.daemon.cluster.LayerPeers;
import io.actord.daemon.cluster.RunRelay;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Router;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
    private final LayerPeers layers;
    private volatile Optional<ClusterMembership> membership = Optional.empty();

    private DaemonCluster(Optional<ClusterConfig> config, String hostId, LayerStore layers, ImportLimits limits) {
        this.config = config;
        this.hostId = hostId;
        this.relay = new RunRelay(hostId);
        this.layers = new LayerPeers(hostId, layers, limits, () -> membership);
    }

    /**
     * Registers the hosts route and, in a cluster, the relay for the daemon of host id {@code hostId} (its runs'
     * owner) and the route that gives other hosts the layers of {@code layers}; nothing joins yet.
     */
    static DaemonCluster register(DaemonConfig daemon, String hostId, Router router, Access access, LayerStore layers) {
        DaemonCluster cluster = new DaemonCluster(daemon.operations().cluster(), hostId, layers, daemon.imageLimits());
        router.get(ClusterRoutes.PATH, r -> ClusterRoutes.answer(r, cluster.membership, access));
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
        membership.ifPresent(ClusterMembership::close);
    }
}
