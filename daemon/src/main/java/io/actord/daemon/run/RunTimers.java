package io.actord.daemon.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A run's two timers, the timeout and the grace period. Confined to the run's serial executor. A timer
 * carries the epoch it was armed in; {@link #cancel()} starts a new epoch, so a timer that fires after it
 * was cancelled (the cancel raced its start) is recognised as stale and dropped.
 */
final class RunTimers {
    private static final Logger LOG = LoggerFactory.getLogger(RunTimers.class);

    /** Where a fired timer's event goes: back onto the run's executor, with the epoch it was armed in. */
    @FunctionalInterface
    interface Sink {
        void fire(int epoch, RunEvent event);
    }

    private final String runId;
    private final ScheduledExecutorService timers;
    private final Clock clock;
    private final Sink sink;
    private ScheduledFuture<?> timeout;
    private ScheduledFuture<?> grace;
    private int epoch;

    RunTimers(String runId, ScheduledExecutorService timers, Clock clock, Sink sink) {
        this.runId = runId;
        this.timers = timers;
        this.clock = clock;
        this.sink = sink;
    }

    /** Whether a timer armed in {@code armedIn} still counts. */
    boolean current(int armedIn) {
        return armedIn == epoch;
    }

    /** Fires {@link RunEvent.TimeoutElapsed} at {@code at} (at once if it has passed); replaces an earlier one. */
    void armTimeout(Instant at) {
        cancelOne(timeout);
        timeout = schedule(at, new RunEvent.TimeoutElapsed());
    }

    /** Fires {@link RunEvent.GraceExpired} at {@code until}; replaces an earlier one. */
    void armGrace(Instant until) {
        cancelOne(grace);
        grace = schedule(until, new RunEvent.GraceExpired());
    }

    void cancel() {
        epoch++;
        cancelOne(timeout);
        cancelOne(grace);
        timeout = null;
        grace = null;
    }

    private ScheduledFuture<?> schedule(Instant at, RunEvent event) {
        int armedIn = epoch;
        long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
        try {
            return timers.schedule(() -> sink.fire(armedIn, event), delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("run={} timer for {} not armed: the daemon is stopping", runId, event.kind());
            return null;
        }
    }

    private static void cancelOne(ScheduledFuture<?> timer) {
        if (timer != null) {
            timer.cancel(false);
        }
    }
}
