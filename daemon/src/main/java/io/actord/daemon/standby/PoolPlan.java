package io.actord.daemon.standby;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The decisions of one standby pool (one actor, one user), with no threads, clocks or containers: which
 * run takes a request, when a new run starts, which requests wait, which runs stop. {@link StandbyPool}
 * holds one under its lock and carries out what it says. Times are nanosecond ticks the caller passes in.
 *
 * <p>The rules, in order, for a request:
 * <ol>
 *   <li>the ready run with the fewest requests in flight, if it has fewer than {@code desired};</li>
 *   <li>otherwise a new run starts when the requests that found no run below {@code desired} (those queued and
 *       those placed above it) outnumber what the runs already starting will take ({@code desired} each);</li>
 *   <li>then, while that run cold-starts, the ready run with the fewest in flight if it has fewer than
 *       {@code max};</li>
 *   <li>else the request waits in the pool's queue ({@code queueLimit} at most: past it, refused) until a
 *       run is ready or has room, or until its own deadline.</li>
 * </ol>
 * A ready run with nothing in flight for {@code idle} is stopped; a run that is not ready {@code startLimit}
 * after it was asked for is given up (aborted: its server never listened).
 */
final class PoolPlan {
    /**
     * The pool's options.
     *
     * @param desired    requests in flight per run before another run starts (Apify's desiredRequestsPerActorRun)
     * @param max        requests in flight per run at most (maxRequestsPerActorRun)
     * @param idleNanos  a ready run with no request for this long is stopped (idleTimeoutSecs)
     * @param queueLimit how many requests may wait at once
     * @param waitNanos  how long a request waits at most; also how long a run may take to become ready
     */
    record Options(int desired, int max, long idleNanos, int queueLimit, long waitNanos) {
        Options {
            desired = Math.max(1, desired);
            max = Math.max(desired, max);
        }
    }

    /** What becomes of a request. */
    sealed interface Decision {
        /** Served now by {@code runId}. */
        record Lease(String runId) implements Decision {
        }

        /** Queued; {@code startRun}: a new run is to be started for it. */
        record Wait(boolean startRun) implements Decision {
        }

        /** The queue is full. */
        record Refuse() implements Decision {
        }
    }

    /** A queued request given to a run. */
    record Grant(long ticket, String runId) {
    }

    /** What to do now: requests to serve, to fail (waited too long), runs to stop (idle) or abort (never ready). */
    record Sweep(List<Grant> grants, List<Long> expired, List<String> idle, List<String> neverReady) {
    }

    private static final class Member {
        final long since;
        boolean ready;
        int inFlight;
        int peak;
        long lastActive;

        Member(long now) {
            this.since = now;
            this.lastActive = now;
        }
    }

    private record Waiter(long ticket, long deadline) {
    }

    private Options options;
    private final Map<String, Member> runs = new LinkedHashMap<>();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    /** Starts asked for whose run id is not known yet, with when each was asked. */
    private final Deque<Long> pendingStarts = new ArrayDeque<>();

    PoolPlan(Options options) {
        this.options = options;
    }

    Options options() {
        return options;
    }

    /** New options: they apply to the decisions from now on. */
    void configure(Options next) {
        options = next;
    }

    /** A new request, {@code ticket}, at {@code now}. */
    Decision request(long ticket, long now) {
        Optional<String> below = pick(options.desired());
        if (below.isPresent()) {
            lease(below.get(), now);
            return new Decision.Lease(below.get());
        }
        boolean start = overflow() + 1 > starting() * options.desired();
        if (start) {
            pendingStarts.add(now);
        }
        Optional<String> room = pick(options.max());
        if (room.isPresent()) {
            lease(room.get(), now);
            return new Decision.Lease(room.get());
        }
        if (queue.size() >= options.queueLimit()) {
            if (start) {
                pendingStarts.removeLast();
            }
            return new Decision.Refuse();
        }
        queue.add(new Waiter(ticket, now + options.waitNanos()));
        return new Decision.Wait(start);
    }

    /** A start asked for by {@link Decision.Wait} made run {@code runId} (not ready yet). */
    void started(String runId, long now) {
        Long asked = pendingStarts.poll();
        runs.putIfAbsent(runId, new Member(asked == null ? now : asked));
    }

    /** A start asked for failed; the waiters nothing else will serve are returned (to fail now). */
    List<Long> startFailed() {
        pendingStarts.poll();
        return orphans();
    }

    /** An existing run joins the pool (after a daemon restart), not ready yet. */
    void adopt(String runId, long now) {
        runs.putIfAbsent(runId, new Member(now));
    }

    /** Run {@code runId}'s server accepts connections: waiters go to it. */
    List<Grant> ready(String runId, long now) {
        Member m = runs.get(runId);
        if (m == null || m.ready) {
            return List.of();
        }
        m.ready = true;
        m.lastActive = now;
        return drain(now);
    }

    /** A request to {@code runId} ended; a waiter may take its place. */
    List<Grant> released(String runId, long now) {
        Member m = runs.get(runId);
        if (m == null) {
            return List.of();
        }
        m.inFlight = Math.max(0, m.inFlight - 1);
        m.lastActive = now;
        return drain(now);
    }

    /** A request that waited is gone (its client left): it no longer waits. */
    void cancel(long ticket) {
        queue.removeIf(w -> w.ticket() == ticket);
    }

    /**
     * Run {@code runId} left the pool (it ended, or is being stopped); the waiters nothing else will serve
     * are returned (to fail now).
     */
    List<Long> removed(String runId) {
        runs.remove(runId);
        return orphans();
    }

    /** What time {@code now} calls for; idle and never-ready runs leave the pool here. */
    Sweep sweep(long now) {
        List<Long> expired = new ArrayList<>();
        for (Iterator<Waiter> it = queue.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (now - w.deadline() >= 0) {
                expired.add(w.ticket());
                it.remove();
            }
        }
        List<String> idle = new ArrayList<>();
        List<String> neverReady = new ArrayList<>();
        runs.forEach((id, m) -> {
            if (m.ready && m.inFlight == 0 && now - m.lastActive >= options.idleNanos()) {
                idle.add(id);
            } else if (!m.ready && now - m.since >= options.waitNanos()) {
                neverReady.add(id);
            }
        });
        idle.forEach(runs::remove);
        neverReady.forEach(runs::remove);
        return new Sweep(drain(now), expired, idle, neverReady);
    }

    /** How many runs the pool has (starting or ready), and starts asked for. */
    int size() {
        return runs.size() + pendingStarts.size();
    }

    /** Requests in flight to {@code runId}, and the most it ever had at once. */
    int inFlight(String runId) {
        Member m = runs.get(runId);
        return m == null ? 0 : m.inFlight;
    }

    int peak(String runId) {
        Member m = runs.get(runId);
        return m == null ? 0 : m.peak;
    }

    int waiting() {
        return queue.size();
    }

    boolean has(String runId) {
        return runs.containsKey(runId);
    }

    private int starting() {
        return pendingStarts.size() + (int) runs.values().stream().filter(m -> !m.ready).count();
    }

    /** Requests that found no run below desired: queued, and placed above desired. */
    private int overflow() {
        int above = runs.values().stream().filter(m -> m.ready).mapToInt(m -> Math.max(0, m.inFlight - options.desired()))
                .sum();
        return queue.size() + above;
    }

    /** The ready run with the fewest in flight, if it has fewer than {@code limit}. */
    private Optional<String> pick(int limit) {
        return runs.entrySet().stream().filter(e -> e.getValue().ready && e.getValue().inFlight < limit)
                .min(Comparator.comparingInt(e -> e.getValue().inFlight)).map(Map.Entry::getKey);
    }

    private void lease(String runId, long now) {
        Member m = runs.get(runId);
        m.inFlight++;
        m.peak = Math.max(m.peak, m.inFlight);
        m.lastActive = now;
    }

    /** Gives queued requests, oldest first, to ready runs: below desired first, then below max. */
    private List<Grant> drain(long now) {
        List<Grant> grants = new ArrayList<>();
        while (!queue.isEmpty()) {
            Optional<String> run = pick(options.desired()).or(() -> pick(options.max()));
            if (run.isEmpty()) {
                break;
            }
            lease(run.get(), now);
            grants.add(new Grant(queue.poll().ticket(), run.get()));
        }
        return grants;
    }

    /** With no run starting or ready, nothing will serve the queue: it is emptied and returned. */
    private List<Long> orphans() {
        if (!runs.isEmpty() || !pendingStarts.isEmpty()) {
            return List.of();
        }
        List<Long> orphans = queue.stream().map(Waiter::ticket).toList();
        queue.clear();
        return orphans;
    }
}
