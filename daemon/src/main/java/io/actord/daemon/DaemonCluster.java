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
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.run.RunService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The daemon's part in a cluster ({@code --cluster}), wired apart from {@link ActorDaemon}: the hosts route is
 * registered with the others, the membership starts once the API listens (its record carries the API's URL) and
 * follows the host memory runs hold; the requests for other hosts' runs are relayed to them ({@link RunRelay}), and
 * theirs are authenticated here.
 */
final class DaemonCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCluster.class);
    private final Optional<ClusterConfig> config;
    private final String hostId;
    private final RunRelay relay;
    private volatile Optional<ClusterMembership> membership = Optional.empty();

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

    /** {@code users}' authentication; in a cluster it also takes the requests other hosts relay here. */
    Authenticator authenticator(Authenticator users) {
        return config.isPresent() ? relay.authenticator(users) : users;
    }

    /**
     * Joins the cluster, if the daemon is in one, as the host whose API answers at {@code apiUrl}; from then on the
     * container URLs of other hosts' runs are relayed by {@code containers}, found in {@code records}' token index
     * (which reads the state: called on {@code worker}), which gets the entries of older runs first.
     */
    void join(String apiUrl, RunService runs, ContainerAddressResolver containers, RunRepository records,
              Executor worker, Clock clock) {
        config.ifPresent(c -> {
            int indexed = records.indexContainerTokens();
            if (indexed > 0) {
                LOG.info("container URL tokens indexed runs={} (stored before the index)", indexed);
            }
            HostMemory memory = runs.hostMemory();
            ClusterMembership m = ClusterMembership.join(c, new HostRecord(hostId, apiUrl, memory.capacityMbytes(),
                    free(memory), clock.instant()), clock);
            runs.onStatusChange(run -> m.freeMemoryChanged(free(runs.hostMemory())));
            membership = Optional.of(m);
            relay.serve(m, runs::find);
            containers.serveRemote(new ContainerUrlRelay(hostId, m, records::findActiveByContainerToken, worker));
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
