package io.actord.daemon.run;

/**
 * The named steps of a run's path where a daemon killed right there leaves a state {@link RunRecovery} must settle
 * (issue #20's crash windows): the stores of the state machine's moves ({@link Supervisors}), and what is done to
 * containers ({@link CurrentContainer}, {@link RunContainers}). Each is reported to {@link RunSteps} on the run's own
 * executor, in the order listed for each path (a graceful abort of an actor that listens for platform events sends no
 * SIGTERM, so it has no SIGNALLING):
 * <pre>
 * immediate abort   STORED (ABORTED) · KILLING · KILLED · EXITED · STORED (exit code) · RELEASING · RELEASED
 * graceful abort    STORED (ABORTING) · SIGNALLING · EXITED · STORED (ABORTED) · RELEASING · RELEASED
 * timeout           STORED (TIMING-OUT) · SIGNALLING · EXITED · STORED (TIMED-OUT) · RELEASING · RELEASED
 * exit by itself    EXITED · STORED (SUCCEEDED or FAILED) · RELEASING · RELEASED
 * reboot, metamorph STORED (the intent) · KILLING · RELEASING · RELEASED (the old container) · CREATING · STARTING
 *                   · CREATED · STORED (the new container)
 * resurrect         STORED (the intent) · CREATING · STARTING · CREATED · STORED (the new container)
 * </pre>
 */
public enum RunStep {
    /** A new version of the run is stored; it is not yet current and none of its effects has run. */
    STORED,
    /** Before SIGTERM is sent to the workload (a graceful abort or a timeout asks it to stop). */
    SIGNALLING,
    /** Before SIGKILL to every process of the container (an immediate abort, an expired grace, a reboot). */
    KILLING,
    /** SIGKILL was sent; the container's exit is not handled yet. */
    KILLED,
    /** The container exited; its outcome is neither collected nor stored yet. */
    EXITED,
    /** Before the container's teardown: its cgroups, mounts, disk image, directory and network. */
    RELEASING,
    /** The container is torn down. */
    RELEASED,
    /** Before the runtime makes the run's next container. */
    CREATING,
    /** The new container's namespaces and cgroup exist and its init waits; the workload has not started. */
    STARTING,
    /** The new container's workload runs; the run does not name the container yet. */
    CREATED
}
