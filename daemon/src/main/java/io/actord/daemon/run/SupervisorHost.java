package io.actord.daemon.run;

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

    /** Told each step of the run's path (nothing but in the crash-window test). */
    RunSteps steps();

    /** Called after each task of the supervisor: it leaves the registry once it has nothing left to do. */
    void afterTask(RunSupervisor supervisor);
}
