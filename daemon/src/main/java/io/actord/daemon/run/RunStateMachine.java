package io.actord.daemon.run;

import io.actord.daemon.run.RunEvent.AbortRequested;
import io.actord.daemon.run.RunEvent.ContainerLost;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.run.RunEvent.StartFailed;
import io.actord.daemon.run.Transition.Ignore;
import io.actord.daemon.run.Transition.Move;
import io.actord.daemon.run.Transition.Reject;
import io.actord.runtime.ExitStatus;

import java.util.List;

import static io.actord.daemon.run.Effect.ARM_GRACE;
import static io.actord.daemon.run.Effect.ARM_TIMEOUT;
import static io.actord.daemon.run.Effect.CANCEL_TIMERS;
import static io.actord.daemon.run.Effect.KILL;
import static io.actord.daemon.run.Effect.SEND_SIGTERM;
import static io.actord.daemon.run.Effect.START_CONTAINER;

/**
 * The run lifecycle as one pure function: {@code next(status, event)}. No I/O, no clock, no state.
 *
 * <pre>
 * status \ event | Started      | StartFailed | Exited          | ContainerLost | TimeoutElapsed        | Abort graceful        | Abort now         | GraceExpired      | Resurrect
 * ---------------+--------------+-------------+-----------------+---------------+-----------------------+-----------------------+-------------------+-------------------+---------------------------------
 * READY          | RUNNING [T]  | FAILED [C]  | SUCCEEDED or    | FAILED [C]    | ignore                | ABORTED [C,K]         | ABORTED [C,K]     | ignore            | reject
 *                |              |             | FAILED [C] (*)  |               |                       |                       |                   |                   |
 * RUNNING        | ignore       | FAILED [C]  | SUCCEEDED or    | FAILED [C]    | TIMING-OUT [TERM,G]   | ABORTING [TERM,G]     | ABORTED [C,K]     | ignore            | reject
 *                |              |             | FAILED [C] (*)  |               |                       |                       |                   |                   |
 * TIMING-OUT     | ignore       | ignore      | TIMED-OUT [C]   | TIMED-OUT [C] | ignore                | ABORTING              | ABORTED [C,K]     | TIMED-OUT [C,K]   | reject
 * ABORTING       | ignore       | ignore      | ABORTED [C]     | ABORTED [C]   | ignore                | ignore                | ignore            | ABORTED [C,K]     | reject
 * SUCCEEDED,     | ignore       | ignore      | ignore          | ignore        | ignore                | ignore                | ignore            | ignore            | RUNNING [START,T]
 * FAILED,        |              |             |                 |               |                       |                       |                   |                   |
 * TIMED-OUT,     |              |             |                 |               |                       |                       |                   |                   |
 * ABORTED        |              |             |                 |               |                       |                       |                   |                   |
 *
 * Reboot and metamorph: RUNNING → RUNNING [START] (the old container is killed first, the timeout keeps
 * running; a metamorph's new container is of the target actor's build); any other status rejects them.
 * Restart on error (a failure {@link RestartOnError} turned into a restart): RUNNING → RUNNING [START], as a
 * reboot; any other status ignores it.
 *
 * [T] ARM_TIMEOUT  [G] ARM_GRACE  [TERM] SEND_SIGTERM  [K] KILL  [C] CANCEL_TIMERS  [START] START_CONTAINER
 * (*) SUCCEEDED when the workload exited 0 and was not OOM-killed, else FAILED with the reason.
 * </pre>
 *
 * Why these edges: during a graceful abort or a timeout the final status comes from the request, not the
 * exit code (an SDK actor told to abort exits 0); an abort of a finished or already aborting run does
 * nothing (Apify: "no effect"); resurrecting a run that has not finished is refused. An exit in a terminal
 * status is ignored here; the supervisor still records the exit code and releases the container.
 */
public final class RunStateMachine {
    /** The status message of a run the daemon stops ({@link Run#stopping()}), and of its end. */
    static final String STOPPING_MESSAGE = "Actor run is being stopped: it had no requests for its idle timeout";
    static final String STOPPED_MESSAGE = "Actor run was stopped: it had no requests for its idle timeout";

    private RunStateMachine() {
    }

    /**
     * {@link #next(RunStatus, RunEvent)} for {@code run}: a run the daemon stops ({@link Run#stopping()}, an idle
     * Actor Standby run; Apify ends those SUCCEEDED) goes through ABORTING as a graceful abort, but where that
     * would end ABORTED it ends SUCCEEDED, with the same effects. Its status alone cannot say so: ABORTING is
     * the status Apify shows while a run is told to stop, and the stop's end must survive a daemon restart.
     */
    static Transition next(Run run, RunEvent event) {
        Transition t = next(run.status(), event);
        if (run.stopping() && t instanceof Move move && move.to() == RunStatus.ABORTED) {
            return new Move(RunStatus.SUCCEEDED, STOPPED_MESSAGE, move.effects());
        }
        return t;
    }

    public static Transition next(RunStatus status, RunEvent event) {
        return switch (status) {
            case READY, RUNNING -> active(status, event);
            case TIMING_OUT -> timingOut(event);
            case ABORTING -> aborting(event);
            case SUCCEEDED, FAILED, TIMED_OUT, ABORTED -> terminal(status, event);
        };
    }

    private static Transition active(RunStatus status, RunEvent event) {
        boolean ready = status == RunStatus.READY;
        return switch (event.kind()) {
            case STARTED -> ready
                    ? new Move(RunStatus.RUNNING, null, List.of(ARM_TIMEOUT))
                    : new Ignore("the run is already running");
            case START_FAILED -> new Move(RunStatus.FAILED, "Actor failed to start: " + ((StartFailed) event).reason(),
                    List.of(CANCEL_TIMERS));
            case EXITED -> exited(((Exited) event).status());
            case CONTAINER_LOST -> new Move(RunStatus.FAILED, "Actor's container was lost: " + ((ContainerLost) event).reason(),
                    List.of(CANCEL_TIMERS));
            case TIMEOUT_ELAPSED -> ready
                    ? new Ignore("the run has not started, so its timeout is not running")
                    : new Move(RunStatus.TIMING_OUT, "Actor run timed out, stopping it", List.of(SEND_SIGTERM, ARM_GRACE));
            case ABORT_REQUESTED -> ready || !((AbortRequested) event).graceful()
                    ? new Move(RunStatus.ABORTED, "Actor was aborted", List.of(CANCEL_TIMERS, KILL))
                    : new Move(RunStatus.ABORTING, "Actor is being aborted", List.of(SEND_SIGTERM, ARM_GRACE));
            case GRACE_EXPIRED -> new Ignore("no grace period is running");
            case RESURRECT_REQUESTED -> new Reject("the run has not finished (status " + status.wireName()
                    + "); only a finished run can be resurrected");
            case REBOOT_REQUESTED, METAMORPH_REQUESTED -> ready
                    ? new Reject("the run has not started; only a running run can be " + replaced(event))
                    : new Move(RunStatus.RUNNING, "Actor run was " + replaced(event), List.of(START_CONTAINER));
            case RESTART_ON_ERROR -> ready
                    ? new Ignore("the run has not started, so it cannot be restarted")
                    : new Move(RunStatus.RUNNING, "Actor run was restarted on error: "
                    + ((RunEvent.RestartOnErrorRequested) event).failure(), List.of(START_CONTAINER));
        };
    }

    private static Transition timingOut(RunEvent event) {
        return switch (event.kind()) {
            case STARTED -> new Ignore("the run is already running");
            case START_FAILED -> new Ignore("the run is already running");
            case EXITED -> new Move(RunStatus.TIMED_OUT, "Actor run timed out", List.of(CANCEL_TIMERS));
            case CONTAINER_LOST -> new Move(RunStatus.TIMED_OUT, "Actor run timed out", List.of(CANCEL_TIMERS));
            case TIMEOUT_ELAPSED -> new Ignore("the run is already timing out");
            case ABORT_REQUESTED -> ((AbortRequested) event).graceful()
                    ? new Move(RunStatus.ABORTING, "Actor is being aborted", List.of())
                    : new Move(RunStatus.ABORTED, "Actor was aborted", List.of(CANCEL_TIMERS, KILL));
            case GRACE_EXPIRED -> new Move(RunStatus.TIMED_OUT, "Actor run timed out", List.of(CANCEL_TIMERS, KILL));
            case RESURRECT_REQUESTED -> new Reject("the run has not finished (status TIMING-OUT); only a finished"
                    + " run can be resurrected");
            case REBOOT_REQUESTED, METAMORPH_REQUESTED -> cannotReplace(RunStatus.TIMING_OUT, event);
            case RESTART_ON_ERROR -> new Ignore("the run is timing out, it did not fail");
        };
    }

    private static Transition aborting(RunEvent event) {
        return switch (event.kind()) {
            case STARTED -> new Ignore("the run is already running");
            case START_FAILED -> new Ignore("the run is already running");
            case EXITED -> new Move(RunStatus.ABORTED, "Actor was aborted", List.of(CANCEL_TIMERS));
            case CONTAINER_LOST -> new Move(RunStatus.ABORTED, "Actor was aborted", List.of(CANCEL_TIMERS));
            case TIMEOUT_ELAPSED -> new Ignore("the run is already being aborted");
            case ABORT_REQUESTED -> new Ignore("the run is already being aborted");
            case GRACE_EXPIRED -> new Move(RunStatus.ABORTED, "Actor was aborted", List.of(CANCEL_TIMERS, KILL));
            case RESURRECT_REQUESTED -> new Reject("the run has not finished (status ABORTING); only a finished"
                    + " run can be resurrected");
            case REBOOT_REQUESTED, METAMORPH_REQUESTED -> cannotReplace(RunStatus.ABORTING, event);
            case RESTART_ON_ERROR -> new Ignore("the run is being aborted, it did not fail");
        };
    }

    private static Transition terminal(RunStatus status, RunEvent event) {
        if (event.kind() == RunEvent.Kind.RESURRECT_REQUESTED) {
            return new Move(RunStatus.RUNNING, "Actor run was resurrected", List.of(START_CONTAINER, ARM_TIMEOUT));
        }
        if (event.kind() == RunEvent.Kind.REBOOT_REQUESTED || event.kind() == RunEvent.Kind.METAMORPH_REQUESTED) {
            return cannotReplace(status, event);
        }
        return new Ignore("the run has already finished (status " + status.wireName() + ")");
    }

    private static Reject cannotReplace(RunStatus status, RunEvent event) {
        return new Reject("the run is " + status.wireName() + "; only a running run can be " + replaced(event));
    }

    /** What a reboot or a metamorph does to the run, in words. */
    private static String replaced(RunEvent event) {
        return event.kind() == RunEvent.Kind.METAMORPH_REQUESTED ? "metamorphed" : "rebooted";
    }

    private static Move exited(ExitStatus exit) {
        if (exit.succeeded()) {
            return new Move(RunStatus.SUCCEEDED, "Actor finished with exit code 0", List.of(CANCEL_TIMERS));
        }
        return new Move(RunStatus.FAILED, failureMessage(exit), List.of(CANCEL_TIMERS));
    }

    /** Why a run failed, in the words a user needs: out of memory, killed by a signal, or the exit code. */
    static String failureMessage(ExitStatus exit) {
        if (exit.oomKilled()) {
            return "Actor ran out of memory: the kernel's OOM killer stopped it (exit code " + exit.code()
                    + "); give the run more memory";
        }
        return exit.signal()
                .map(sig -> "Actor was killed by signal " + sig.name() + " (exit code " + exit.code() + ")")
                .orElse("Actor finished with exit code " + exit.code());
    }
}
