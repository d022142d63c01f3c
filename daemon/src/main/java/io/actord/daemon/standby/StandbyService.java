package io.actord.daemon.standby;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorStandby;
import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.actord.daemon.proxy.ProxyRefusal;
import io.actord.daemon.proxy.StandbyRoutes;
import io.actord.daemon.proxy.StandbyGate;
import io.actord.daemon.run.ContainerUrls;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.user.ApiToken;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Actor Standby's serving side: a request to an actor's standby URL is authenticated (the platform's API
 * token, which is then taken out of it), and goes to the actor's {@link StandbyPool} for the token's user,
 * which picks or starts the run that serves it; the proxy then relays it as to that run's own URL. Runs
 * that end leave their pool; idle ones are stopped, and never-ready ones aborted, by a sweep every
 * {@value #SWEEP_MILLIS} ms. After a daemon restart the active standby runs (origin STANDBY) join their
 * actors' pools again, each serving once its server accepts connections.
 */
public final class StandbyService implements StandbyRoutes {
    public static final long SWEEP_MILLIS = 250;
    private static final Logger LOG = LoggerFactory.getLogger(StandbyService.class);

    private final StandbyParts parts;
    private final Map<String, StandbyPool> pools = new ConcurrentHashMap<>();

    private StandbyService(StandbyParts parts) {
        this.parts = parts;
    }

    /**
     * Serves the standby URLs from now on: the resolver routes them here, and the runs' status changes reach
     * the pools. The sweep stops with {@code parts.timers()}.
     */
    public static StandbyService serve(StandbyParts parts) {
        StandbyService service = new StandbyService(parts);
        parts.timers().scheduleAtFixedRate(service::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
        parts.resolver().serveStandby(service);
        parts.runs().onStatusChange(service::statusChanged);
        return service;
    }

    /**
     * A standby URL's route. The actor is found by the label in the daemon's memory (no I/O): an unknown label or
     * an actor without standby gets the 404 page; a path-form URL is sent on to the actor's host form when it has
     * one (as a run's is), or to its slash; anything else waits for its pool ({@link #admit}).
     */
    @Override
    public Optional<Route> route(String host, String uri) {
        Optional<ContainerUrls.StandbyTarget> target = parts.urls().standbyTarget(host, uri);
        if (target.isEmpty()) {
            return Optional.empty();
        }
        ContainerUrls.StandbyTarget t = target.get();
        Optional<Actor> actor = parts.actors().findStandby(t.label()).filter(a -> a.standby().isEnabled());
        if (actor.isEmpty()) {
            return Optional.of(refused(new ProxyRefusal(HttpResponseStatus.NOT_FOUND, StandbyPages.NOT_FOUND)));
        }
        Optional<String> hostUrl = t.prefix().flatMap(p -> parts.urls().standbyHostUrl(t.label()));
        if (hostUrl.isPresent()) {
            return Optional.of(new Route.Redirect(hostUrl.get() + (t.rest().startsWith("/") ? t.rest().substring(1)
                    : t.rest())));
        }
        if (t.needsSlash()) {
            return Optional.of(new Route.Redirect(t.prefix().get() + "/" + t.rest()));
        }
        String actorId = actor.get().id();
        return Optional.of(new Route.Standby(req -> admit(req, actorId, t)));
    }

    /** A stored status change: a standby run that ended leaves its pool. */
    public void statusChanged(Run run) {
        if (StartRequest.STANDBY.equals(run.origin()) && run.status().isTerminal()) {
            StandbyPool pool = pools.get(key(run.actId(), run.userId()));
            if (pool != null) {
                pool.ended(run.id(), run.status().wireName() + (run.statusMessage() == null ? ""
                        : ": " + run.statusMessage()));
            }
        }
    }

    /** After recovery: the active standby runs the previous daemon left join their actors' pools. */
    public void adopt(List<Run> active) {
        for (Run run : active) {
            if (StartRequest.STANDBY.equals(run.origin()) && !run.status().isTerminal()) {
                parts.actors().byId(run.actId()).ifPresent(actor -> {
                    pool(actor, run.userId()).adopt(run.id());
                    LOG.info("standby pool={} adopted run={} after a restart", actor.fullName(), run.id());
                });
            }
        }
    }

    private Route refused(ProxyRefusal refusal) {
        return new Route.Standby(req -> new Admission(refusal));
    }

    private StandbyGate.Admission admit(HttpRequest req, String actorId, ContainerUrls.StandbyTarget target) {
        StandbyCredentials.Taken taken = StandbyCredentials.take(req.headers(), target.rest());
        Admission admission = new Admission();
        CompletableFuture.supplyAsync(() -> authorize(taken.token(), actorId), parts.worker())
                .whenComplete((pool, error) -> {
                    if (error != null) {
                        admission.route.completeExceptionally(error);
                    } else {
                        admission.join(pool, taken.uri(), target.prefix());
                    }
                });
        return admission;
    }

    /** The pool of the actor for the token's user; refused with 401, 403 or 404. */
    private StandbyPool authorize(Optional<String> token, String actorId) {
        String secret = token.orElseThrow(() -> new ProxyRefusal(HttpResponseStatus.UNAUTHORIZED,
                StandbyPages.NO_TOKEN));
        if (!StandbyCredentials.wellFormed(secret)) {
            throw new ProxyRefusal(HttpResponseStatus.UNAUTHORIZED, StandbyPages.invalidToken(
                    "it has characters or a length no token has"));
        }
        ApiToken found = parts.users().tokens().find(secret).filter(t -> t.runId() == null
                        || parts.runs().find(t.runId()).map(r -> !r.status().isTerminal()).orElse(false))
                .orElseThrow(() -> new ProxyRefusal(HttpResponseStatus.UNAUTHORIZED, StandbyPages.invalidToken(
                        "it was revoked, or its user or run no longer exists")));
        Actor actor = parts.actors().byId(actorId).filter(a -> a.standby().isEnabled())
                .orElseThrow(() -> new ProxyRefusal(HttpResponseStatus.NOT_FOUND, StandbyPages.NOT_FOUND));
        if (!actor.userId().equals(found.userId())) {
            throw new ProxyRefusal(HttpResponseStatus.FORBIDDEN, StandbyPages.forbidden(actor.fullName()));
        }
        StandbyPool pool = pool(actor, found.userId());
        pool.configure(options(actor));
        return pool;
    }

    private StandbyPool pool(Actor actor, String userId) {
        return pools.computeIfAbsent(key(actor.id(), userId), k -> new StandbyPool(actor.fullName(), options(actor),
                new PoolRuns(actor.id(), userId), parts.worker(), System::nanoTime));
    }

    private PoolPlan.Options options(Actor actor) {
        ActorStandby s = actor.standby();
        return new PoolPlan.Options(s.desiredRequestsPerActorRun(), s.maxRequestsPerActorRun(),
                TimeUnit.SECONDS.toNanos(s.idleTimeoutSecs()), parts.queueLimit(), parts.waitLimit().toNanos());
    }

    private void sweep() {
        try {
            pools.values().forEach(StandbyPool::sweep);
        } catch (RuntimeException e) {
            LOG.error("standby sweep failed", e);
        }
    }

    private static String key(String actorId, String userId) {
        return actorId + "/" + userId;
    }

    /** What a pool does to runs, through the run service. */
    private final class PoolRuns implements StandbyPool.Runs {
        private final String actorId;
        private final String userId;

        PoolRuns(String actorId, String userId) {
            this.actorId = actorId;
            this.userId = userId;
        }

        @Override
        public String start() {
            Actor actor = parts.actors().byId(actorId).orElseThrow(() -> new IllegalStateException(
                    "the actor was deleted"));
            return parts.runs().start(actor, userId, StartRequest.standby(actor.standby())).id();
        }

        @Override
        public CompletableFuture<?> ready(String runId) {
            return parts.readiness().ready(runId);
        }

        @Override
        public void stop(String runId) {
            parts.runs().stop(runId);
        }

        @Override
        public void abort(String runId) {
            parts.runs().abort(runId, false);
        }
    }

    /** One standby request: its route once the pool has a run for it, and its ticket until it ends. */
    private final class Admission implements StandbyGate.Admission {
        final CompletableFuture<Route.Found> route = new CompletableFuture<>();
        private StandbyPool.Ticket ticket;
        private boolean ended;

        Admission() {
        }

        /** One refused before it got a pool. */
        Admission(ProxyRefusal refusal) {
            route.completeExceptionally(refusal);
        }

        @Override
        public CompletableFuture<Route.Found> route() {
            return route;
        }

        /** The request has its pool: it takes a ticket, unless it ended meanwhile. */
        void join(StandbyPool pool, String uri, Optional<String> prefix) {
            StandbyPool.Ticket t;
            synchronized (this) {
                if (ended) {
                    return;
                }
                t = pool.acquire();
                ticket = t;
            }
            t.run.whenComplete((runId, error) -> {
                if (error != null) {
                    route.completeExceptionally(error);
                    return;
                }
                route.complete(new Route.Found(runId, parts.resolver().endpoint(runId).orElseGet(() ->
                        CompletableFuture.failedFuture(new ProxyRefusal(HttpResponseStatus.BAD_GATEWAY,
                                StandbyPages.runEnded(runId, "it finished")))), uri, prefix));
            });
        }

        @Override
        public void ended() {
            StandbyPool.Ticket t;
            synchronized (this) {
                ended = true;
                t = ticket;
            }
            if (t != null) {
                t.end();
            }
            route.cancel(false);
        }
    }
}
