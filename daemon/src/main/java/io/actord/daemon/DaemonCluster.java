package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.cluster.ClusterMembership;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.ContainerUrlRelay;
import io.actord.daemon.cluster.HostIdLock;
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
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The daemon's part in a cluster ({@code --cluster}), wired apart from {@link ActorDaemon}: the hosts route is
 * registered with the others; before the daemon recovers any run it takes its host id, for its whole life (in etcd,
 * {@link ClusterMembership#claim}; on a PostgreSQL state outside a cluster, {@link HostIdLock}), and refuses to start
 * when another daemon has it. The host joins once the API listens (its record carries the API's URL), and the API
 * answers only from then on ({@link RunRelay}); the membership follows the host memory runs hold; the requests for
 * other hosts' runs are relayed to them, and theirs are authenticated here.
 */
final class DaemonCluster implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DaemonCluster.class);
    /**
     * How long a start waits for etcd to let the daemon take its host id (beyond a lease's lapse, which a restarted
     * daemon may have to wait for) and then publish its record, before it gives up: systemd starts it again.
     */
    static final Duration START_WAIT = Duration.ofSeconds(60);

    private final Optional<ClusterConfig> config;
    private final String hostId;
    private final RunRelay relay;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Optional<HostIdLock> lock = Optional.empty();

    private DaemonCluster(Optional<ClusterConfig> config, String hostId) {
        this.config = config;
        this.hostId = hostId;
        this.relay = new RunRelay(hostId);
    }

    /**
     * Registers the hosts route and, in a cluster, the relay for the daemon of host id {@code hostId} (its runs'
     * owner), and takes the host id; nothing joins yet.
     *
     * @throws IllegalStateException when another daemon holds the host id, naming it, or it could not be taken
     */
    static DaemonCluster register(DaemonConfig daemon, String hostId, Router router, Access access, Clock clock) {
        DaemonCluster cluster = new DaemonCluster(daemon.operations().cluster(), hostId);
        router.get(ClusterRoutes.PATH, r -> ClusterRoutes.answer(r, cluster.membership, access));
        cluster.config.ifPresentOrElse(c -> {
            router.intercept(cluster.relay);
            cluster.membership = Optional.of(claim(c, hostId, clock));
        }, () -> cluster.lock = daemon.operations().postgres().map(location -> HostIdLock.take(location, hostId)));
        return cluster;
    }

    private static ClusterMembership claim(ClusterConfig config, String hostId, Clock clock) {
        ClusterMembership m = ClusterMembership.claim(config, hostId, clock);
        Duration wait = START_WAIT.plus(config.leaseTtl()).plus(config.safetyMargin());
        awaitOrClose(m, m.claimed(), wait, "take host id '" + hostId + "' in etcd at " + config.endpoints());
        return m;
    }

    /** Waits up to {@code wait} for {@code step} of {@code m}; closes {@code m} if it fails or does not come. */
    private static void awaitOrClose(ClusterMembership m, CompletableFuture<Void> step, Duration wait, String what) {
        try {
            step.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            m.close();
            throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            m.close();
            throw new IllegalStateException(what + ": not done within " + wait.toSeconds() + " s ("
                    + m.state().reason().orElse("etcd did not answer") + "); the daemon does not start without it");
        } catch (InterruptedException e) {
            m.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(what + ": interrupted", e);
        }
    }

    /** {@code users}' authentication; in a cluster it also takes the requests other hosts relay here. */
    Authenticator authenticator(Authenticator users) {
        return config.isPresent() ? relay.authenticator(users) : users;
    }

    /**
     * Joins the cluster, if the daemon is in one, as the host whose API answers at {@code apiUrl}, and returns once it
     * is a member (till then the API answers 503, but for the hosts route); from then on the
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
            ClusterMembership m = membership.orElseThrow();
            awaitOrClose(m, m.join(new HostRecord(hostId, apiUrl, memory.capacityMbytes(), free(memory),
                    clock.instant())), START_WAIT, "publish host " + hostId + "'s record in etcd");
            runs.onStatusChange(run -> m.freeMemoryChanged(free(runs.hostMemory())));
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
        lock.ifPresent(HostIdLock::close);
    }
}
