package io.actord.daemon.run;

/** A side effect of a transition; the {@link RunSupervisor} performs them, in order, after storing the new status. */
public enum Effect {
    /** Create the container (again, on resurrection). */
    START_CONTAINER,
    /** Schedule {@link RunEvent.TimeoutElapsed} at the run's timeout, if it has one. */
    ARM_TIMEOUT,
    /**
     * Ask the workload to stop: on a graceful abort the aborting/persistState events when the actor listens
     * for them (see {@link RunListener#abortRequested}), else SIGTERM now.
     */
    SEND_SIGTERM,
    /** Schedule {@link RunEvent.GraceExpired} when the grace period ends. */
    ARM_GRACE,
    /** SIGKILL every process of the container. */
    KILL,
    /** Cancel the timeout and grace timers: the run has ended. */
    CANCEL_TIMERS
}
