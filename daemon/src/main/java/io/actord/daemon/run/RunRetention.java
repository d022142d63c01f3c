package io.actord.daemon.run;

import io.actord.daemon.common.Threads;
import io.actord.daemon.state.StateStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Data retention (Apify: runs and their default storages are deleted after the retention period; named
 * storages stay). A background sweep, on a thread of its own so a long compaction never delays a run's
 * timers, deletes each run of this daemon's ({@link RunOwner}) that finished longer ago than the period with
 * {@link RunDeletion}: another daemon on the same database deletes its own, with the log and files it keeps for them.
 */
public final class RunRetention implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunRetention.class);
    private static final Duration MIN_INTERVAL = Duration.ofSeconds(1);
    private static final Duration MAX_INTERVAL = Duration.ofMinutes(10);

    private final FinishedRuns finished;
    private final Duration retention;
    private final Clock clock;
    private final ScheduledExecutorService sweeper;

    /** Starts sweeping {@code owner}'s runs every quarter of the retention period (between 1 s and 10 min). */
    public RunRetention(RunDeletion deletion, StateStore store, RunOwner owner, Duration retention, Clock clock) {
        this.finished = new FinishedRuns(store, deletion, run -> owner.owns(run.ownerHost()));
        this.retention = retention;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(Threads.named("retention"));
        long every = Math.max(MIN_INTERVAL.toMillis(), Math.min(MAX_INTERVAL.toMillis(), retention.toMillis() / 4));
        sweeper.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
        LOG.info("retention period={} sweep every {} ms", retention, every);
    }

    /** Deletes every run that finished before now minus the retention period; returns how many. */
    public int sweep() {
        Instant cutoff = clock.instant().minus(retention);
        int deleted = finished.deleteBefore(cutoff, runId -> { }).size();
        if (deleted > 0) {
            LOG.info("retention deleted runs={} finished before={}", deleted, cutoff);
        }
        return deleted;
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) {
            LOG.error("retention sweep failed; the next one retries", e);
        }
    }

    /** Stops sweeping and waits for a sweep in progress (before the store closes). */
    @Override
    public void close() {
        sweeper.shutdownNow();
        try {
            if (!sweeper.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("retention sweep still running after 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
