package io.actord.daemon;

import io.actord.daemon.access.Access;
import io.actord.daemon.actor.Build;
import io.actord.daemon.build.MissingLayers;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.cluster.BuildRelay;
import io.actord.daemon.cluster.ClusterConfig;
import io.actord.daemon.cluster.ClusterMembership;
import io.actord.daemon.cluster.ClusterRoutes;
import io.actord.daemon.cluster.ClusterSecrets;
import io.actord.daemon.cluster.ContainerUrlRelay;
import io.actord.daemon.cluster.HostFailover;
import io.actord.daemon.cluster.HostIdLock;
import io.actord.daemon.cluster.HostRecord;
import io.actord.daemon.cluster.LayerPeers;
import io.actord.daemon.cluster.RunRelay;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Router;
import io.actord.daemon.image.ImportLimits;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.input.InputSecretKeys;
import io.actord.daemon.proxy.ContainerAddressResolver;
import io.actord.daemon.run.ClusterPlacement;
import io.actord.daemon.run.HostMemory;
import io.actord.daemon.run.RunOwner;
import io.actord.daemon.run.RunRecovery;
import io.actord.daemon.run.RunRepository;
import io.actord.daemon.run.RunService;
import io.actord.daemon.version.SecretBox;
import io.netty.handler.codec.http.HttpMethod;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * The daemon's part in a cluster ({@code --cluster}), wired apart from {@link ActorDaemon}: the hosts route is
 * registered with the others; before the daemon recovers any run it takes its host id, for its whole life (in etcd,
 * {@link ClusterMembership#claim}; on a PostgreSQL state outside a cluster, {@link HostIdLock}), and refuses to start
 * when another daemon has it. The host joins once the API listens (its record carries the API's URL), and the API
 * answers only from then on ({@link RunRelay}); the membership follows the host memory runs and builds hold; the
 * requests for other hosts' runs and builds are relayed to them, a build's POST to the host that should make it
 * ({@link BuildRelay}), and theirs are authenticated here; runs move when hosts go or are drained, builds of hosts
 * that went fail ({@link HostFailover}), and runs are placed on the hosts with room ({@link ClusterPlacement}).
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
    private final RunOwner owner;
    private final RunRelay relay;
    private final LayerPeers layers;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Optional<HostFailover> failover = Optional.empty();
    private volatile Optional<ClusterPlacement> placement = Optional.empty();
    private volatile Optional<HostIdLock> lock = Optional.empty();

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
     * layers of {@code layers}, and takes the host id; nothing joins yet.
     *
     * @throws IllegalStateException when another daemon holds the host id, naming it, or it could not be taken
     */
    static DaemonCluster register(DaemonConfig daemon, boolean sharedStore, Router router, Access access,
                                  LayerStore layers, Clock clock) {
        Optional<ClusterConfig> config = daemon.operations().cluster();
        RunOwner owner = RunOwner.load(daemon.stateDir(), sharedStore, daemon.operations().hostId());
        DaemonCluster cluster = new DaemonCluster(config, config.isPresent() ? owner.inCluster() : owner, layers,
                daemon.imageLimits());
        router.get(ClusterRoutes.PATH, r -> ClusterRoutes.answer(r, cluster.membership, cluster.failover, access));
        router.add(HttpMethod.POST, ClusterRoutes.DRAIN, r -> ClusterRoutes.drain(r, config.isPresent(),
                cluster.failover, access, cluster.hostId, daemon.abortGrace()));
        router.delete(ClusterRoutes.DRAIN, r -> ClusterRoutes.undrain(r, config.isPresent(), cluster.failover, access,
                cluster.hostId));
        cluster.config.ifPresentOrElse(c -> {
            router.intercept(cluster.relay);
            router.get(LayerPeers.PATH, cluster.layers::answer);
            cluster.membership = Optional.of(claim(c, daemon, cluster.hostId, clock));
        }, () -> cluster.lock = daemon.operations().postgres().map(location -> HostIdLock.take(location,
                cluster.hostId)));
        return cluster;
    }

    /** Takes the host id, then the cluster's keys into the state directory, before the daemon opens them. */
    private static ClusterMembership claim(ClusterConfig config, DaemonConfig daemon, String hostId, Clock clock) {
        ClusterMembership m = ClusterMembership.claim(config, hostId, clock);
        Duration wait = START_WAIT.plus(config.leaseTtl()).plus(config.safetyMargin());
        awaitOrClose(m, m.claimed(), wait, "take host id '" + hostId + "' in etcd at " + config.endpoints());
        try {
            ClusterSecrets.share(m, secrets(daemon), START_WAIT);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** The keys of the state directory that seal what any host may have to open. */
    private static List<ClusterSecrets.Secret> secrets(DaemonConfig daemon) {
        Path base = daemon.stateDir();
        Path box = daemon.secretsKeyFile();
        Path input = daemon.inputSecretsKeyDir();
        return List.of(new ClusterSecrets.Secret("secrets.key", base, List.of(base.relativize(box)),
                        () -> SecretBox.open(box)),
                new ClusterSecrets.Secret("input-secrets", base, InputSecretKeys.files().stream()
                        .map(f -> base.relativize(input.resolve(f))).toList(), () -> InputSecretKeys.open(input).make()));
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

    /** A build's layer directories as {@code local} gives them, in a cluster fetched first from a peer if not here. */
    Function<Build, List<Path>> layerPaths(Function<Build, List<Path>> local) {
        return config.isPresent() ? build -> layers.paths(build, local) : local;
    }

    /** How a build from source brings a base image's layers: in a cluster, from a peer that has them. */
    MissingLayers missingLayers() {
        return config.isPresent() ? layers::fetchMissing : MissingLayers.NONE;
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

            /** This host's own capacity counts once it is a member, before its watch has shown it its own record. */
            @Override
            public OptionalLong largestCapacityMbytes() {
                List<HostRecord> hosts = membership.map(ClusterMembership::hosts).orElse(List.of());
                LongStream own = failover.isPresent() ? LongStream.of(runs.hostMemory().capacityMbytes())
                        : LongStream.empty();
                return LongStream.concat(hosts.stream().mapToLong(HostRecord::capacityMbytes), own).max();
            }
        })));
        return runs.recover();
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
    void join(String apiUrl, RunService runs, BuildService builds, ContainerAddressResolver containers,
              RunRepository records, Executor worker, Clock clock) {
        config.ifPresent(c -> {
            int indexed = records.indexContainerTokens();
            if (indexed > 0) {
                LOG.info("container URL tokens indexed runs={} (stored before the index)", indexed);
            }
            HostMemory memory = runs.hostMemory();
            ClusterMembership m = membership.orElseThrow();
            awaitOrClose(m, m.join(new HostRecord(hostId, apiUrl, memory.capacityMbytes(), free(memory),
                    false, clock.instant())), START_WAIT, "publish host " + hostId + "'s record in etcd");
            Runnable offerChanged = () -> m.offerChanged(free(runs.hostMemory()),
                    failover.map(HostFailover::drained).orElse(false));
            runs.onStatusChange(run -> offerChanged.run());
            relay.serve(m, runs::find, new BuildRelay.Builds() {
                @Override
                public Optional<Build> find(String buildId) {
                    return builds.find(buildId);
                }

                @Override
                public boolean claiming() {
                    return DaemonCluster.this.claiming();
                }

                @Override
                public HostMemory memory() {
                    return runs.hostMemory();
                }
            });
            builds.onMemoryChange(offerChanged);
            containers.serveRemote(new ContainerUrlRelay(hostId, m, records::findActiveByContainerToken, worker));
            failover = Optional.of(HostFailover.start(m, runs.migration(), builds, offerChanged));
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
        lock.ifPresent(HostIdLock::close);
    }
}
