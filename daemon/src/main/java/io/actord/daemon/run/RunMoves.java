package io.actord.daemon.run;

import java.time.Duration;
import java.time.Instant;

/**
 * What a {@link Transition.Move} means for the stored run, besides its status and message: a resurrection
 * starts a new stretch with the new options, a reboot, restart or metamorph is counted, an end sets finishedAt and
 * stops the live figures, an armed grace period sets graceUntil. A move that starts a new container (resurrect,
 * reboot, metamorph) stores the run with no container until the new one is stored: that is the intent a daemon
 * killed in between leaves, a RUNNING run without a container, which recovery starts again, and the old or half-made
 * container no run then owns is removed. Pure, like the table it follows.
 */
final class RunMoves {
    private RunMoves() {
    }

    /**
     * The run after {@code move}, made by {@code event} at {@code now}.
     *
     * @param grace        how long a grace period lasts
     * @param resurrection the new options when {@code event} is a resurrection, else null
     */
    static Run.Builder next(Run run, Transition.Move move, RunEvent event, Instant now, Duration grace,
                            Resurrection resurrection) {
        Run.Builder b = run.toBuilder().status(move.to(), move.statusMessage());
        if (event.kind() == RunEvent.Kind.RESURRECT_REQUESTED) {
            int timeout = resurrection.options().timeoutSecs();
            b.newStretch(run, now).resurrectCount(run.resurrectCount() + 1).finishedAt(null).exitCode(null)
                    .container(null).options(resurrection.options())
                    .build(resurrection.buildId(), resurrection.buildNumber())
                    .timeoutAt(timeout > 0 ? now.plusSeconds(timeout) : null).graceUntil(null).stopping(false);
        }
        if (event.kind() == RunEvent.Kind.REBOOT_REQUESTED) {
            b.rebootCount(run.rebootCount() + 1);
        }
        if (event.kind() == RunEvent.Kind.RESTART_ON_ERROR) {
            b.restartCount(run.restartCount() + 1).exitCode(null);
        }
        if (event instanceof RunEvent.AbortRequested a && a.stop() && run.status() == RunStatus.RUNNING
                && move.to() == RunStatus.ABORTING) {
            b.stopping(true).status(RunStatus.ABORTING, RunStateMachine.STOPPING_MESSAGE);
        }
        if (event instanceof RunEvent.MetamorphRequested m) {
            b.metamorph(m.metamorph(), m.buildNumber());
        }
        if (move.to().isTerminal()) {
            b.finishedAt(now).graceUntil(null).usage(run.usage().stopped());
        }
        if (move.effects().contains(Effect.START_CONTAINER)) {
            b.container(null);
        }
        if (move.effects().contains(Effect.ARM_GRACE)) {
            b.graceUntil(now.plus(grace));
        }
        return b;
    }
}
