package io.actord.daemon.run;

import io.actord.runtime.Container;

/**
 * What happens around a run's container besides supervising it: the in-run API endpoint opens in the
 * container's network namespace and platform events go to the actor. Called on the run's serial
 * executor; implementations return quickly and do not throw.
 */
public interface RunListener {
    RunListener NONE = new RunListener() {
    };

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
}
