package io.actord.daemon.run;

import io.actord.runtime.ExitStatus;

/** What can happen to a run; {@link RunStateMachine#next} decides what each means in each status. */
public sealed interface RunEvent {
    /** The event's kind, for exhaustive switches (Java 17 has no pattern switch). */
    Kind kind();

    enum Kind { STARTED, START_FAILED, EXITED, CONTAINER_LOST, TIMEOUT_ELAPSED, ABORT_REQUESTED, GRACE_EXPIRED,
        RESURRECT_REQUESTED, REBOOT_REQUESTED, METAMORPH_REQUESTED, RESTART_ON_ERROR }

    /** The container was created and its entrypoint exec'd. */
    record Started(long pid) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.STARTED;
        }
    }

    /** The container could not be created. */
    record StartFailed(String reason) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.START_FAILED;
        }
    }

    /** The container's init exited and was reaped (or its recorded exit status was read after a restart). */
    record Exited(ExitStatus status) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.EXITED;
        }
    }

    /** The container ended while no daemon watched it and left no exit status. */
    record ContainerLost(String reason) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.CONTAINER_LOST;
        }
    }

    /** The run's timeout passed. */
    record TimeoutElapsed() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.TIMEOUT_ELAPSED;
        }
    }

    /**
     * A user asked to abort: now, or gracefully (told first, killed when the grace period ends); or the daemon
     * asked to {@code stop} the run, which goes as a graceful abort but ends SUCCEEDED (an idle standby run).
     */
    record AbortRequested(boolean graceful, boolean stop) implements RunEvent {
        public AbortRequested(boolean graceful) {
            this(graceful, false);
        }

        @Override
        public Kind kind() {
            return Kind.ABORT_REQUESTED;
        }
    }

    /** The grace period after a graceful abort or a timeout ended. */
    record GraceExpired() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.GRACE_EXPIRED;
        }
    }

    /** A user asked to resurrect a finished run. */
    record ResurrectRequested() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.RESURRECT_REQUESTED;
        }
    }

    /** A user (or the run itself) asked to replace the running run's container with a fresh one. */
    record RebootRequested() implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.REBOOT_REQUESTED;
        }
    }

    /** The run asked to become another actor's run: its container is replaced by one of {@code metamorph}'s build. */
    record MetamorphRequested(Metamorph metamorph, String buildNumber) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.METAMORPH_REQUESTED;
        }
    }

    /**
     * The running run failed ({@code failure} says how) and its restartOnError option restarts it in a new
     * container instead ({@link RestartOnError} decides).
     */
    record RestartOnErrorRequested(String failure) implements RunEvent {
        @Override
        public Kind kind() {
            return Kind.RESTART_ON_ERROR;
        }
    }
}
