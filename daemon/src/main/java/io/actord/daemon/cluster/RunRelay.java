package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Futures;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.Route;
import io.actord.daemon.http.RouteInterceptor;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.run.UnplacedRunKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Routing in a cluster (#26): any host answers the API, and a request that only a run's own host can answer is
 * relayed there, to the API URL of that host's record, with the caller's identity and the cluster token
 * ({@link RelayHeaders}). Those are the commands to an active run (abort, reboot, metamorph, charge, the status
 * message's update), a resurrection (the run comes back on its last host, which keeps its files, if that host is
 * live; else on a host with room for it, as the platform may move a run) and the run's log, finished or not (the file
 * is on the run's host; {@code stream=1} is relayed as it streams). A run whose host is not a live member answers
 * 503: the host left or cannot reach etcd, and its runs wait for it (or for migration, later). A relayed request is
 * never relayed again (a hop limit of one): a run that moved meanwhile answers 503, and the client tries again. An
 * abort of a run that waits for a host is answered here, or sent on once if a host claimed the run meanwhile. The
 * builds' routes are {@link BuildRelay}'s; both send through one {@link HostRelay}.
 */
public final class RunRelay implements RouteInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RunRelay.class);

    /** What of a run a relayed route needs. */
    private enum Need {
        /** The run's supervisor: only while the run is active. */
        SUPERVISOR,
        /** The run's last host if it is live: a resurrection. */
        LAST_HOST,
        /** The run's files: always. */
        FILES
    }

    private static final String ABORT = "POST /v2/actor-runs/{runId}/abort";
    private static final String LOGS = "GET /v2/logs/{runId}";
    private static final Map<String, Need> ROUTES = Map.of(
            ABORT, Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/reboot", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/metamorph", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/charge", Need.SUPERVISOR,
            "PUT /v2/actor-runs/{runId}", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/resurrect", Need.LAST_HOST,
            "GET /v2/actor-runs/{runId}/log", Need.FILES,
            LOGS, Need.FILES);

    /** The routes hosts call on each other for themselves, as no user: they are answered here, never relayed. */
    private static final Set<String> PEER_ROUTES = Set.of("GET " + LayerPeers.PATH);

    private final String hostId;
    private final HostRelay sender;
    private final BuildRelay builds;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Function<String, Optional<Run>> runs = id -> Optional.empty();

    /** @param hostId this host's id: the runs it owns are answered here */
    public RunRelay(String hostId) {
        this.hostId = hostId;
        this.sender = new HostRelay(hostId);
        this.builds = new BuildRelay(hostId, sender);
    }

    /**
     * From now on requests are answered, and relayed to the members of {@code m} for the runs {@code find} gives;
     * before, every request but the hosts route's and a run endpoint's answers 503 (the host is joining).
     */
    public void serve(ClusterMembership m, Function<String, Optional<Run>> find, BuildRelay.Builds builds) {
        sender.open();
        this.builds.serve(builds);
        runs = find;
        membership = Optional.of(m);
    }

    /** {@code users}' authentication, which also takes the relays of this cluster's other hosts. */
    public Authenticator authenticator(Authenticator users) {
        return new ClusterAuthenticator(users, () -> membership.map(ClusterMembership::token));
    }

    @Override
    public Optional<CompletableFuture<ApiResponse>> intercept(Route route, ApiRequest request) {
        String key = route.method().name() + " " + route.template().pattern();
        Need need = ROUTES.get(key);
        if (need == null && RelayHeaders.relayed(request) && !PEER_ROUTES.contains(key) && !BuildRelay.takes(key)) {
            // The token only vouches for the caller of a request a host relays: elsewhere the caller it names (an
            // admin, say) would be believed on the word of whoever learned the token, which etcd and plain HTTP keep.
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "hosts relay only a run's or a build's"
                    + " commands and log; " + route.method() + " " + route.template().pattern() + " is not taken with"
                    + " the " + RelayHeaders.TOKEN + " header: send it with a user's token");
        }
        Optional<ClusterMembership> m = membership;
        if (m.isEmpty() && request.listener() != Listener.RUN
                && !route.template().pattern().equals(ClusterRoutes.PATH)) {
            // Until the host is a member, a run of another host cannot be relayed and its own runs' peers cannot
            // reach it: it would answer as if alone. A run's own endpoint serves that run's storages, which are fine.
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "host " + hostId + " is joining the cluster: its"
                    + " API answers once it is a member; try again");
        }
        if (m.isEmpty()) {
            return Optional.empty();
        }
        if (need == null) {
            return builds.intercept(key, request, m.get());
        }
        Optional<Run> found = runs.apply(request.pathParam("runId"));
        if (found.isEmpty() && key.equals(LOGS)) {
            return builds.logOf(request.pathParam("runId"), request, m.get()); // the route serves builds' logs too
        }
        if (need == Need.SUPERVISOR && !key.equals(ABORT) && found.filter(RunRelay::migrating).isPresent()) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + found.get().id() + " is moving to another"
                    + " host (its host left the cluster or was drained) and waits for one; try again once it runs");
        }
        if (key.equals(ABORT) && !RelayHeaders.relayed(request) && found.filter(RunRelay::waitsForAHost).isPresent()) {
            return Optional.of(abortWhereItWaits(route, request, m.get()));
        }
        if (need == Need.LAST_HOST) {
            // an active run's refusal, and a resurrection relayed here (hop limit one), are answered here
            return found.filter(r -> r.status().isTerminal()).isPresent() && !RelayHeaders.relayed(request)
                    ? resurrection(found.get(), request, m.get()) : Optional.empty();
        }
        if (found.isEmpty() || found.get().ownerHost() == null || found.get().ownerHost().equals(hostId)
                || need == Need.SUPERVISOR && found.get().status().isTerminal()) {
            return Optional.empty();
        }
        return Optional.of(relay(found.get(), need, request, m.get()));
    }

    /**
     * A finished run is resurrected on its last host while that host is live (it keeps the run's files), else on a host
     * with room for it, chosen as a build's host is (a gateway has none, and any host may do: the storages are shared).
     */
    private Optional<CompletableFuture<ApiResponse>> resurrection(Run run, ApiRequest request, ClusterMembership m) {
        if (HostRecord.find(m.hosts(), run.ownerHost()).isPresent()) {
            return run.ownerHost().equals(hostId) ? Optional.empty()
                    : Optional.of(relay(run, Need.LAST_HOST, request, m));
        }
        long memory = request.queryLong("memory").orElse((long) run.options().memoryMbytes());
        return builds.hostFor("resurrected run", memory, m).map(target -> {
            LOG.debug("request id={} run={} resurrected on host={} (its last host={} is gone)", request.requestId(),
                    run.id(), target.hostId(), run.ownerHost());
            return sender.send(target, request, HostRelay.token(m), false);
        });
    }

    /**
     * An abort of a run that waits for a host ends it here, where it waits, unless a host claims the run between the
     * read above and the abort's own under the run's lock: the placement then answers 503, and the abort goes once
     * more, to the run's host (or to this host's new supervisor of it), so that the client sees no error for a run
     * that merely started meanwhile (a client that does not retry a 503 would see one).
     */
    private CompletableFuture<ApiResponse> abortWhereItWaits(Route route, ApiRequest request, ClusterMembership m) {
        return handle(route, request).exceptionallyCompose(error -> {
            Throwable cause = Futures.cause(error);
            Optional<Run> claimed = runs.apply(request.pathParam("runId"))
                    .filter(r -> r.ownerHost() != null && !r.status().isTerminal());
            if (!(cause instanceof ApiException api && api.type() == ErrorType.SERVICE_UNAVAILABLE)
                    || claimed.isEmpty()) {
                return CompletableFuture.failedFuture(cause);
            }
            LOG.debug("request id={} run={} was placed on host={} while aborted: sent there", request.requestId(),
                    claimed.get().id(), claimed.get().ownerHost());
            return claimed.get().ownerHost().equals(hostId) ? handle(route, request)
                    : relay(claimed.get(), Need.SUPERVISOR, request, m);
        });
    }

    private static CompletableFuture<ApiResponse> handle(Route route, ApiRequest request) {
        try {
            return route.handler().handle(request);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** An active run that no host holds yet: its abort is answered where it waits. */
    private static boolean waitsForAHost(Run run) {
        return run.ownerHost() == null && !run.status().isTerminal();
    }

    /** Sends {@code request} to the host of {@code run}, another host; 503 when that host is not a live member. */
    private CompletableFuture<ApiResponse> relay(Run run, Need need, ApiRequest request, ClusterMembership m) {
        Optional<HostRecord> owner = HostRecord.find(m.hosts(), run.ownerHost());
        if (owner.isEmpty()) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + run.id() + " is on host "
                    + run.ownerHost() + ", which is not a live member of the cluster (it left, or lost etcd); its "
                    + (need == Need.FILES ? "log is" : "container is") + " there: try again once the host is back");
        }
        if (RelayHeaders.relayed(request)) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + run.id() + " is on host "
                    + run.ownerHost() + ", not on host " + hostId + " to which host "
                    + request.headers().get(RelayHeaders.FROM) + " relayed the request (the run moved?); try again");
        }
        boolean stream = need == Need.FILES && request.queryBool("stream");
        return sender.send(owner.get(), request, HostRelay.token(m), stream);
    }

    /**
     * A RUNNING run that waits for placement (#26: its host died or was drained): no host supervises it, so none can
     * take a command for it but an abort, which ends it where it waits; a READY one answers as any READY run does.
     */
    private static boolean migrating(Run run) {
        return run.status() == RunStatus.RUNNING && UnplacedRunKey.isUnplaced(run);
    }
}
