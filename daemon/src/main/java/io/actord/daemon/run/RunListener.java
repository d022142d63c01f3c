package io.actord.daemon.run;

import io.actord.runtime.Container;

import java.time.Duration;
import java.util.List;

/**
 * What happens around a run's container besides supervising it: the in-run API endpoint opens in the
 * container's network namespace and platform events go to the actor. Called on the run's serial
 * executor; implementations return quickly and do not throw.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

    /** Tells each of {@code listeners}, in order; an abort was told when any of them told the actor. */
    static RunListener all(RunListener... listeners) {
        List<RunListener> list = List.of(listeners);
        return new RunListener() {
            @Override
            public void containerStarting(Run run, Container container) {
                list.forEach(l -> l.containerStarting(run, container));
            }

            @Override
            public void containerStarted(Run run, Container container) {
                list.forEach(l -> l.containerStarted(run, container));
            }

            @Override
            public void containerStopped(String runId) {
                list.forEach(l -> l.containerStopped(runId));
            }

            @Override
            public boolean abortRequested(Run run) {
                boolean told = false;
                for (RunListener l : list) {
                    told |= l.abortRequested(run);
                }
                return told;
            }

            @Override
            public boolean migrationRequested(Run run, Duration remaining) {
                boolean told = false;
                for (RunListener l : list) {
                    told |= l.migrationRequested(run, remaining);
                }
                return told;
            }
        };
    }

    /**
     * A container of the run exists but its workload has not started: what the actor needs from its first
     * instruction (the in-run API listener) opens now.
     */
    default void containerStarting(Run run, Container container) {
    }

    /** A container of the run is running: just created, or re-attached after a daemon restart. */
    default void containerStarted(Run run, Container container) {
    }

    /** The run's container is gone (exited or killed) and is about to be torn down. */
    default void containerStopped(String runId) {
    }

    /**
     * A graceful abort began: tell the actor with the {@code aborting} and {@code persistState} events.
     *
     * @return true when the actor was told (it listens for events, as SDK actors do), so it is given the
     *         grace period to save its state and exit by itself; false to send SIGTERM instead
     */
    default boolean abortRequested(Run run) {
        return false;
    }

    /**
     * The run's host is drained (#26): tell the actor with the {@code migrating} event ({@code remaining} is the time
     * it has left before its container is killed) and {@code persistState} with {@code isMigrating}.
     *
     * @return true when the actor was told (it listens for events)
     */
    default boolean migrationRequested(Run run, Duration remaining) {
        return false;
    }
}
