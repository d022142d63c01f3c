package io.actord.daemon.run;

import org.slf4j.LoggerFactory;

import java.util.function.Consumer;

/**
 * What a {@link RunSupervisor} needs from the run layer around it, and no more: where each new version of
 * its run is stored and announced, who is told about its containers, and when it may leave the registry of
 * active runs. Its own events (timers, the container's exit) never leave it: they go straight to its serial
 * executor.
 */
interface SupervisorHost {
    /** Stores the run's next version with its index entries, before the supervisor makes it current. */
    void save(Run previous, Run next);

    /**
     * The run's next version is current: the status listeners hear of a status change and, once the run has
     * ended, whoever waits for its end.
     */
    void changed(Run previous, Run next);

    /** Who is told about the run's containers starting and stopping, and about graceful aborts. */
    RunListener listener();

    /** Tells the {@link #listener} something of run {@code runId}; a listener's failure is logged, not thrown. */
    default void tell(String runId, Consumer<RunListener> call) {
        try {
            call.accept(listener());
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(RunSupervisor.class).warn("run={} run listener failed: {}", runId, e.getMessage(), e);
        }
    }

    /** Told each step of the run's path (nothing but in the crash-window test). */
    RunSteps steps();

    /** Called after each task of the supervisor: it leaves the registry once it has nothing left to do. */
    void afterTask(RunSupervisor supervisor);
}
