package io.actord.daemon.run;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Ends the active runs before a full stop of the daemon, as a {@link StopPolicy} says: refuses new runs,
 * then waits for the runs to finish (drain) and aborts those left, gracefully. It reports progress about
 * once a second, which the daemon passes on to systemd to extend the stop timeout.
 */
public final class RunDrain {
    private static final Logger LOG = LoggerFactory.getLogger(RunDrain.class);
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration REPORT = Duration.ofSeconds(1);
    /** After the abort grace, the time for the kill to land and the status to be stored. */
    private static final Duration KILL_MARGIN = Duration.ofSeconds(15);

    private final RunService runs;
    private final Duration grace;

    /** {@code grace}: how long a graceful abort waits before the kill (the run service's). */
    public RunDrain(RunService runs, Duration grace) {
        this.runs = runs;
        this.grace = grace;
    }

    /**
     * Applies {@code policy} and returns the ids of runs still active when it gave up (empty when every run
     * ended); {@code progress} gets a one-line summary now and then.
     */
    public List<String> stop(StopPolicy policy, Duration drainTimeout, Consumer<String> progress) {
        runs.refuseNewRuns("actord is stopping; it takes no new runs");
        if (policy == StopPolicy.DRAIN && !awaitNoActive("draining", drainTimeout, progress)) {
            LOG.warn("drain timeout={}s reached with runs={} active; aborting them", drainTimeout.toSeconds(),
                    active());
        }
        List<String> toAbort = active();
        if (!toAbort.isEmpty()) {
            LOG.info("stop aborting runs={}", toAbort);
            toAbort.forEach(id -> runs.abort(id, true));
            awaitNoActive("aborting", grace.plus(KILL_MARGIN), progress);
        }
        List<String> left = active();
        if (!left.isEmpty()) {
            LOG.warn("stop gave up on runs={}; the next daemon finishes them", left);
        }
        return left;
    }

    /** The runs not yet in a terminal status. */
    private List<String> active() {
        return runs.activeRuns().stream().filter(r -> !r.status().isTerminal()).map(Run::id).toList();
    }

    private boolean awaitNoActive(String doing, Duration limit, Consumer<String> progress) {
        long deadline = System.nanoTime() + limit.toNanos();
        long nextReport = 0;
        while (true) {
            int n = active().size();
            if (n == 0) {
                return true;
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                return false;
            }
            if (now - nextReport >= 0) {
                progress.accept(doing + " " + n + " run" + (n == 1 ? "" : "s") + ", at most "
                        + Duration.ofNanos(deadline - now).toSeconds() + " s more");
                nextReport = now + REPORT.toNanos();
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
