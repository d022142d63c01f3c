package io.actord.daemon.common;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Server-side {@code waitForFinish} of runs and builds: futures completed when a thing ends, or with the thing as it
 * is when the wait runs out. No thread blocks while waiting (apify-api.md rule 5: clients hot-loop if the server does
 * not wait). An end in this process is told through {@link #ended}; one in another daemon on the same database
 * through {@link #heard} (its id was signalled after the end was stored) and {@link #missed} (signals may have been
 * lost), which read the thing again on {@code executor}, never on the caller's thread.
 *
 * @param <T> what is waited for
 */
public final class EndWaiters<T> {
    private static final Logger LOG = LoggerFactory.getLogger(EndWaiters.class);

    private final Map<String, Queue<CompletableFuture<T>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;
    private final Executor executor;
    private final Function<String, T> current;
    private final Predicate<T> isEnded;

    /**
     * @param timers   where waits run out
     * @param executor where things are read again: signalled ids, and waits that ran out
     * @param current  reads a thing as it is now (throws when there is none)
     * @param isEnded  whether a thing has ended
     */
    public EndWaiters(ScheduledExecutorService timers, Executor executor, Function<String, T> current,
                      Predicate<T> isEnded) {
        this.timers = timers;
        this.executor = executor;
        this.current = current;
        this.isEnded = isEnded;
    }

    /**
     * A future of the thing once it has ended, or as it is after {@code max}, whichever comes first; completed with
     * the failure when reading it then fails. It is read before and after registering, so an end in between is not
     * missed.
     */
    public CompletableFuture<T> await(String id, Duration max) {
        T now = current.apply(id);
        if (isEnded.test(now) || max.isZero() || max.isNegative()) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<T> f = new CompletableFuture<>();
        Queue<CompletableFuture<T>> queue = waiting.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>());
        queue.add(f);
        T again = current.apply(id);
        if (isEnded.test(again)) {
            f.complete(again);
        }
        // the read goes to the executor: a timer thread that waits on a database away would hold up every timer
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (!f.isDone()) {
                submit(() -> completeWithCurrent(id, f));
            }
        }, max.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((r, e) -> {
            timer.cancel(false);
            queue.remove(f);
        });
        return f;
    }

    /** How many requests wait for the thing's end now. */
    public int waiting(String id) {
        Queue<CompletableFuture<T>> queue = waiting.get(id);
        return queue == null ? 0 : queue.size();
    }

    /** The thing has ended as {@code ended} (stored already): completes everyone waiting for it. */
    public void ended(String id, T ended) {
        Queue<CompletableFuture<T>> queue = waiting.remove(id);
        if (queue != null) {
            queue.forEach(f -> f.complete(ended));
        }
    }

    /** A daemon signalled that {@code id} ended: when someone waits for it, reads it and completes them if so. */
    public void heard(String id) {
        if (waiting.containsKey(id)) {
            submit(() -> recheck(id));
        }
    }

    /** Signals may have been lost: reads every thing waited for once, and completes those that have ended. */
    public void missed() {
        if (!waiting.isEmpty()) {
            submit(() -> waiting.keySet().forEach(this::recheck));
        }
    }

    private void submit(Runnable recheck) {
        try {
            executor.execute(recheck);
        } catch (RejectedExecutionException stopping) {
            // the daemon stops, and the store's signals with it: its shutdown answers the waiters
            LOG.debug("waiters re-read refused: the executor has stopped");
        }
    }

    private void recheck(String id) {
        T now;
        try {
            now = current.apply(id);
        } catch (RuntimeException e) {
            // deleted meanwhile, or the database is away again: the waits' own timers answer them
            LOG.debug("waiters id={} re-read failed error=\"{}\"", id, e.getMessage());
            return;
        }
        if (isEnded.test(now)) {
            ended(id, now);
        }
    }

    /**
     * Daemon shutdown: answers each waiter {@code now} has a value for with it, as the thing is; the others are left
     * to {@link #ended} (a build of this daemon that ends once its builder has stopped).
     */
    public void releaseAll(Function<String, Optional<T>> now) {
        waiting.keySet().forEach(id -> {
            Optional<T> t;
            try {
                t = now.apply(id);
            } catch (RuntimeException e) {
                Optional.ofNullable(waiting.remove(id)).ifPresent(q -> q.forEach(f -> f.completeExceptionally(e)));
                return;
            }
            t.ifPresent(value -> ended(id, value));
        });
    }

    private void completeWithCurrent(String id, CompletableFuture<T> f) {
        try {
            f.complete(current.apply(id));
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
    }
}
