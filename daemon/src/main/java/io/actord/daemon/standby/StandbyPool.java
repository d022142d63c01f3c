package io.actord.daemon.standby;

import io.actord.daemon.proxy.ProxyRefusal;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The standby runs of one actor for one user, and the requests to them: carries out what its
 * {@link PoolPlan} decides. Each request holds a {@link Ticket} from {@link #acquire} until it ends; the
 * ticket's future completes with the run that serves it (already counted as in flight), or fails with a
 * {@link ProxyRefusal}. Thread-safe: the plan and the tickets are guarded by this object's lock; runs are
 * started on {@code worker} (RunService.start writes to the store), and futures are completed outside the lock.
 */
final class StandbyPool {
    private static final Logger LOG = LoggerFactory.getLogger(StandbyPool.class);

    /** What the pool does to runs. */
    interface Runs {
        /** Starts a standby run for the pool (blocking; called on a worker) and returns its id. */
        String start();

        /** Completes once the run's server accepts connections (fails if the run ends first). */
        CompletableFuture<?> ready(String runId);

        /** Stops an idle run: gracefully, and it ends SUCCEEDED. */
        void stop(String runId);

        /** Aborts a run whose server never became ready. */
        void abort(String runId);
    }

    /** One request's place in the pool, from {@link #acquire} to {@link #end}. */
    final class Ticket {
        final long id;
        final CompletableFuture<String> run = new CompletableFuture<>();
        /** Guarded by the pool: the run that took the request, once it has. */
        private String runId;
        private boolean ended;

        private Ticket(long id) {
            this.id = id;
        }

        /** The request ended: its run's count goes down, or it stops waiting. Idempotent. */
        void end() {
            List<Ticket> granted;
            synchronized (StandbyPool.this) {
                if (ended) {
                    return;
                }
                ended = true;
                tickets.remove(id);
                if (runId == null) {
                    plan.cancel(id);
                    granted = List.of();
                } else {
                    granted = assign(plan.released(runId, clock.getAsLong()));
                }
            }
            run.cancel(false);
            complete(granted);
        }
    }

    private final String name;
    private final PoolPlan plan;
    private final Runs runs;
    private final Executor worker;
    private final LongSupplier clock;
    private final Map<Long, Ticket> tickets = new HashMap<>();
    private long nextTicket;

    /**
     * @param name  the pool's name in logs and pages (the actor's full name)
     * @param clock nanosecond ticks ({@code System::nanoTime} but in tests)
     */
    StandbyPool(String name, PoolPlan.Options options, Runs runs, Executor worker, LongSupplier clock) {
        this.name = name;
        this.plan = new PoolPlan(options);
        this.runs = runs;
        this.worker = worker;
        this.clock = clock;
    }

    /** Takes a request: its ticket completes with the run that serves it. */
    Ticket acquire() {
        Ticket t;
        PoolPlan.Decision d;
        int queueLimit;
        synchronized (this) {
            t = new Ticket(nextTicket++);
            d = plan.request(t.id, clock.getAsLong());
            queueLimit = plan.options().queueLimit();
            if (d instanceof PoolPlan.Decision.Lease lease) {
                t.runId = lease.runId();
            } else if (d instanceof PoolPlan.Decision.Wait) {
                tickets.put(t.id, t);
            }
        }
        if (d instanceof PoolPlan.Decision.Lease lease) {
            t.run.complete(lease.runId());
        } else if (d instanceof PoolPlan.Decision.Wait wait && wait.startRun()) {
            worker.execute(this::startRun);
        } else if (d instanceof PoolPlan.Decision.Refuse) {
            t.run.completeExceptionally(new ProxyRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE, StandbyPages.queueFull(
                    name, queueLimit)));
        }
        return t;
    }

    /** A run of this pool that outlived the previous daemon joins it; it serves once its server is ready. */
    void adopt(String runId) {
        synchronized (this) {
            plan.adopt(runId, clock.getAsLong());
        }
        watchReadiness(runId);
    }

    /** Run {@code runId} ended ({@code how}: its status and message); the requests nothing else will serve get 502. */
    void ended(String runId, String how) {
        List<Ticket> orphans;
        synchronized (this) {
            if (!plan.has(runId)) {
                return;
            }
            orphans = take(plan.removed(runId));
        }
        LOG.info("standby pool={} run={} left the pool: {}", name, runId, how);
        fail(orphans, new ProxyRefusal(HttpResponseStatus.BAD_GATEWAY, StandbyPages.runEnded(name, how)));
    }

    /** Serves what time calls for: expired waits get 504, idle runs stop, runs never ready are aborted. */
    void sweep() {
        PoolPlan.Sweep s;
        PoolPlan.Options options;
        List<Ticket> granted;
        List<Ticket> expired;
        synchronized (this) {
            options = plan.options();
            s = plan.sweep(clock.getAsLong());
            granted = assign(s.grants());
            expired = take(s.expired());
        }
        complete(granted);
        Duration wait = Duration.ofNanos(options.waitNanos());
        fail(expired, new ProxyRefusal(HttpResponseStatus.GATEWAY_TIMEOUT, StandbyPages.notReady(name, wait)));
        for (String runId : s.idle()) {
            LOG.info("standby pool={} run={} idle for {} s: stopping it", name, runId,
                    Duration.ofNanos(options.idleNanos()).toSeconds());
            runs.stop(runId);
        }
        for (String runId : s.neverReady()) {
            LOG.warn("standby pool={} run={} did not accept connections within {} s: aborting it", name, runId,
                    wait.toSeconds());
            runs.abort(runId);
        }
    }

    /** From now on the pool works with {@code options} (the actor's standby options may have changed). */
    synchronized void configure(PoolPlan.Options options) {
        plan.configure(options);
    }

    /** Whether the pool has nothing: no run, no request (it may be dropped). */
    synchronized boolean empty() {
        return plan.size() == 0 && tickets.isEmpty();
    }

    /** Requests in flight to {@code runId} now, and the most it ever had at once (for tests and metrics). */
    synchronized int inFlight(String runId) {
        return plan.inFlight(runId);
    }

    synchronized int peak(String runId) {
        return plan.peak(runId);
    }

    private void startRun() {
        String runId;
        try {
            runId = runs.start();
        } catch (RuntimeException e) {
            List<Ticket> orphans;
            synchronized (this) {
                orphans = take(plan.startFailed());
            }
            LOG.warn("standby pool={} could not start a run: {}", name, e.getMessage());
            fail(orphans, new ProxyRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE,
                    StandbyPages.startFailed(name, String.valueOf(e.getMessage()))));
            return;
        }
        synchronized (this) {
            plan.started(runId, clock.getAsLong());
        }
        LOG.info("standby pool={} started run={}", name, runId);
        watchReadiness(runId);
    }

    private void watchReadiness(String runId) {
        runs.ready(runId).whenComplete((ok, error) -> {
            if (error != null) {
                return;
            }
            List<Ticket> granted;
            synchronized (this) {
                granted = assign(plan.ready(runId, clock.getAsLong()));
            }
            LOG.info("standby pool={} run={} is ready", name, runId);
            complete(granted);
        });
    }

    /** Under the lock: the tickets granted runs, with their runs set. */
    private List<Ticket> assign(List<PoolPlan.Grant> grants) {
        List<Ticket> granted = new ArrayList<>(grants.size());
        for (PoolPlan.Grant g : grants) {
            Ticket t = tickets.remove(g.ticket());
            if (t != null) {
                t.runId = g.runId();
                granted.add(t);
            }
        }
        return granted;
    }

    /** Under the lock: the tickets of {@code ids}, which wait no more. */
    private List<Ticket> take(List<Long> ids) {
        List<Ticket> taken = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Ticket t = tickets.remove(id);
            if (t != null) {
                taken.add(t);
            }
        }
        return taken;
    }

    private static void complete(List<Ticket> granted) {
        granted.forEach(t -> t.run.complete(t.runId));
    }

    private static void fail(List<Ticket> tickets, ProxyRefusal refusal) {
        tickets.forEach(t -> t.run.completeExceptionally(refusal));
    }
}
