package io.actord.daemon.run;

import java.time.Duration;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Server-side {@code waitForFinish}: futures completed when a run ends, or with the run as it is when the
 * wait runs out. No thread blocks while waiting (apify-api.md rule 5: clients hot-loop if the server does not wait).
 */
final class RunWaiters {
    private final Map<String, Queue<CompletableFuture<Run>>> waiting = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timers;

    RunWaiters(ScheduledExecutorService timers) {
        this.timers = timers;
    }

    /**
     * A future of the run once it has ended, or after {@code max}, whichever comes first.
     *
     * @param current reads the run now; called before and after registering, so an end in between is not missed
     */
    CompletableFuture<Run> await(String runId, Duration max, Supplier<Run> current) {
        Run now = current.get();
        if (now.status().isTerminal() || max.isZero() || max.isNegative()) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<Run> f = new CompletableFuture<>();
        Queue<CompletableFuture<Run>> queue = waiting.computeIfAbsent(runId, k -> new ConcurrentLinkedQueue<>());
        queue.add(f);
        Run again = current.get();
        if (again.status().isTerminal()) {
            f.complete(again);
        }
        ScheduledFuture<?> timer = timers.schedule(() -> {
            if (!f.isDone()) {
                f.complete(current.get());
            }
        }, max.toMillis(), TimeUnit.MILLISECONDS);
        f.whenComplete((r, e) -> {
            timer.cancel(false);
            queue.remove(f);
        });
        return f;
    }

    /** How many requests wait for the run's end now. */
    int waiting(String runId) {
        Queue<CompletableFuture<Run>> queue = waiting.get(runId);
        return queue == null ? 0 : queue.size();
    }

    /** The run has ended: complete everyone waiting for it. */
    void ended(Run run) {
        Queue<CompletableFuture<Run>> queue = waiting.remove(run.id());
        if (queue != null) {
            queue.forEach(f -> f.complete(run));
        }
    }

    /** Daemon shutdown: answer every waiter with the run as it is. */
    void releaseAll(Function<String, Run> current) {
        waiting.forEach((id, queue) -> queue.forEach(f -> f.complete(current.apply(id))));
        waiting.clear();
    }
}
