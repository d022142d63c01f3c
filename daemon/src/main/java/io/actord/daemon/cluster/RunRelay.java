package io.actord.daemon.cluster;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Listener;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.ResponseSink;
import io.actord.daemon.http.Route;
import io.actord.daemon.http.RouteInterceptor;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.run.UnplacedRunKey;
import io.netty.handler.codec.http.QueryStringEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * Routing in a cluster (#26): any host answers the API, and a request that only a run's own host can answer is
 * relayed there, to the API URL of that host's record, with the caller's identity and the cluster token
 * ({@link RelayHeaders}). Those are the commands to an active run (abort, reboot, metamorph, charge, the status
 * message's update), a resurrection (the run comes back on its last host, which keeps its files, if that host is
 * live; else it is resurrected here, as the platform may move a run) and the run's log, finished or not (the file
 * is on the run's host; {@code stream=1} is relayed as it streams). A run whose host is not a live member answers
 * 503: the host left or cannot reach etcd, and its runs wait for it (or for migration, later). A relayed request is
 * never relayed again (a hop limit of one): a run that moved meanwhile answers 503, and the client tries again. An
 * abort of a run that waits for a host is answered here, or sent on once if a host claimed the run meanwhile.
 *
 * <p>The relay is the JDK's HTTP client: each relay is one request and its answer, whose body is passed on as it
 * comes, so a followed log holds no thread; when the client goes away the relay is cancelled, which closes the
 * connection to the run's host and ends its follow there ({@link ResponseSink#onAbandoned}).
 */
public final class RunRelay implements RouteInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(RunRelay.class);
    /** How long a relayed command may take on the run's host (a metamorph answers once the new container runs). */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /**
     * The client's request headers that go on to the run's host: what the routes read (a charge's idempotency key).
     * Not the token (the caller goes as {@link RelayHeaders#CALLER}), not the framing, which is the relay's own.
     */
    private static final List<String> FORWARDED = List.of("Content-Type", "Accept", "Idempotency-Key");
    /** Response headers of the run's host besides the status and type that go on to the client. */
    private static final List<String> PASSED = List.of("Content-Disposition", "Location");

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
    private static final Map<String, Need> ROUTES = Map.of(
            ABORT, Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/reboot", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/metamorph", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/charge", Need.SUPERVISOR,
            "PUT /v2/actor-runs/{runId}", Need.SUPERVISOR,
            "POST /v2/actor-runs/{runId}/resurrect", Need.LAST_HOST,
            "GET /v2/actor-runs/{runId}/log", Need.FILES,
            "GET /v2/logs/{runId}", Need.FILES);

    /** The routes hosts call on each other for themselves, as no user: they are answered here, never relayed. */
    private static final Set<String> PEER_ROUTES = Set.of("GET " + LayerPeers.PATH);

    private final String hostId;
    /**
     * Made when the host joins, so a daemon outside a cluster has none (each has a selector thread; Java 17's client
     * has no close: it ends when the client is no longer referenced).
     */
    private volatile HttpClient client;
    private volatile Optional<ClusterMembership> membership = Optional.empty();
    private volatile Function<String, Optional<Run>> runs = id -> Optional.empty();

    /** @param hostId this host's id: the runs it owns are answered here */
    public RunRelay(String hostId) {
        this.hostId = hostId;
    }

    /**
     * From now on requests are answered, and relayed to the members of {@code m} for the runs {@code find} gives;
     * before, every request but the hosts route's and a run endpoint's answers 503 (the host is joining).
     */
    public void serve(ClusterMembership m, Function<String, Optional<Run>> find) {
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER).build();
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
        if (need == null && RelayHeaders.relayed(request) && !PEER_ROUTES.contains(key)) {
            // The token only vouches for the caller of a request a host relays: elsewhere the caller it names (an
            // admin, say) would be believed on the word of whoever learned the token, which etcd and plain HTTP keep.
            throw new ApiException(ErrorType.INSUFFICIENT_PERMISSIONS, "hosts relay only a run's commands and log;"
                    + " " + route.method() + " " + route.template().pattern() + " is not taken with the "
                    + RelayHeaders.TOKEN + " header: send it with a user's token");
        }
        Optional<ClusterMembership> m = membership;
        if (m.isEmpty() && request.listener() != Listener.RUN
                && !route.template().pattern().equals(ClusterRoutes.PATH)) {
            // Until the host is a member, a run of another host cannot be relayed and its own runs' peers cannot
            // reach it: it would answer as if alone. A run's own endpoint serves that run's storages, which are fine.
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "host " + hostId + " is joining the cluster: its"
                    + " API answers once it is a member; try again");
        }
        if (need == null || m.isEmpty()) {
            return Optional.empty();
        }
        Optional<Run> found = runs.apply(request.pathParam("runId"));
        if (need == Need.SUPERVISOR && !key.equals(ABORT) && found.filter(RunRelay::migrating).isPresent()) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "Run " + found.get().id() + " is moving to another"
                    + " host (its host left the cluster or was drained) and waits for one; try again once it runs");
        }
        if (key.equals(ABORT) && !RelayHeaders.relayed(request) && found.filter(RunRelay::waitsForAHost).isPresent()) {
            return Optional.of(abortWhereItWaits(route, request, m.get()));
        }
        if (found.isEmpty() || found.get().ownerHost() == null || found.get().ownerHost().equals(hostId)
                || need == Need.SUPERVISOR && found.get().status().isTerminal()) {
            return Optional.empty();
        }
        Run run = found.get();
        if (need == Need.LAST_HOST && m.get().hosts().stream().noneMatch(h -> h.hostId().equals(run.ownerHost()))) {
            return Optional.empty();
        }
        return Optional.of(relay(run, need, request, m.get()));
    }

    /**
     * An abort of a run that waits for a host ends it here, where it waits, unless a host claims the run between the
     * read above and the abort's own under the run's lock: the placement then answers 503, and the abort goes once
     * more, to the run's host (or to this host's new supervisor of it), so that the client sees no error for a run
     * that merely started meanwhile (a client that does not retry a 503 would see one).
     */
    private CompletableFuture<ApiResponse> abortWhereItWaits(Route route, ApiRequest request, ClusterMembership m) {
        return handle(route, request).exceptionallyCompose(error -> {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
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
        Optional<HostRecord> owner = m.hosts().stream().filter(h -> h.hostId().equals(run.ownerHost()))
                .findFirst();
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
        String token = m.token().value().orElseThrow(() -> new ApiException(ErrorType.SERVICE_UNAVAILABLE,
                "this host has not read the cluster token yet; try again"));
        boolean stream = need == Need.FILES && request.queryBool("stream");
        return send(owner.get(), request, token, stream);
    }

    /**
     * A RUNNING run that waits for placement (#26: its host died or was drained): no host supervises it, so none can
     * take a command for it but an abort, which ends it where it waits; a READY one answers as any READY run does.
     */
    private static boolean migrating(Run run) {
        return run.status() == RunStatus.RUNNING && UnplacedRunKey.isUnplaced(run);
    }

    private CompletableFuture<ApiResponse> send(HostRecord owner, ApiRequest r, String token, boolean stream) {
        QueryStringEncoder target = new QueryStringEncoder(owner.apiUrl() + r.path());
        r.query().forEach((name, values) -> values.forEach(v -> target.addParam(name, v)));
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString()))
                .method(r.method().name(), r.body().length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(r.body()))
                .header(RelayHeaders.TOKEN, token)
                .header(RelayHeaders.CALLER, RelayHeaders.encode(r.caller()))
                .header(RelayHeaders.FROM, hostId);
        FORWARDED.forEach(h -> r.headers().getAll(h).forEach(v -> b.header(h, v)));
        if (!stream) {
            b.timeout(ANSWER_TIMEOUT);
        }
        LOG.debug("request id={} relayed to host={} method={} path={}", r.requestId(), owner.hostId(), r.method(),
                r.path());
        if (stream) {
            return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofPublisher()).handle((res, error) -> {
                checkAnswered(owner, error);
                return new ApiResponse.Streamed(res.statusCode(), contentType(res), sink -> res.body().subscribe(
                        new SinkSubscriber(sink)), passed(res));
            });
        }
        return client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofByteArray()).handle((res, error) -> {
            checkAnswered(owner, error);
            return new ApiResponse.Full(res.statusCode(), contentType(res), res.body(), passed(res));
        });
    }

    private static void checkAnswered(HostRecord owner, Throwable error) {
        if (error != null) {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause()
                    : error;
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, "the run's host " + owner.hostId() + " ("
                    + owner.apiUrl() + ") did not answer: " + cause);
        }
    }

    private static String contentType(HttpResponse<?> res) {
        return res.headers().firstValue("Content-Type").orElse(null);
    }

    private static Map<String, String> passed(HttpResponse<?> res) {
        Map<String, String> headers = new LinkedHashMap<>();
        PASSED.forEach(h -> res.headers().firstValue(h).ifPresent(v -> headers.put(h, v)));
        return headers;
    }

    /** The run host's answer, chunk by chunk as it comes, onto the client's connection. */
    private static final class SinkSubscriber implements Flow.Subscriber<List<ByteBuffer>> {
        private final ResponseSink sink;
        private Flow.Subscription subscription;

        SinkSubscriber(ResponseSink sink) {
            this.sink = sink;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            // The client went away: cancelling closes the connection to the run's host, which stops following.
            sink.onAbandoned(s::cancel);
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                sink.write(chunk);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable error) {
            LOG.debug("relayed stream ended early: {}", error.toString());
            sink.close();
        }

        @Override
        public void onComplete() {
            sink.close();
        }
    }
}
