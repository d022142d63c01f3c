package io.actord.daemon.run;

/**
 * Apify's {@code restartOnError}: a running run that fails (its workload exits non-zero or is OOM-killed, or its
 * container is lost) starts again in a new container on the same storages, as a reboot does, instead of
 * ending FAILED; {@code stats.restartCount} counts it. After {@link RunOptions#MAX_RESTARTS} restarts the
 * next failure stands. A container that cannot even be created is not restarted: making it again fails the
 * same way. Pure: the supervisor hands it the event it is about to apply.
 */
final class RestartOnError {
    private RestartOnError() {
    }

    /** {@code event}, or the restart that replaces it when it would fail {@code run} and the run may restart. */
    static RunEvent event(Run run, RunEvent event) {
        if (!run.options().restartOnError() || run.restartCount() >= RunOptions.MAX_RESTARTS
                || run.status() != RunStatus.RUNNING || event.kind() == RunEvent.Kind.START_FAILED) {
            return event;
        }
        if (RunStateMachine.next(run.status(), event) instanceof Transition.Move move
                && move.to() == RunStatus.FAILED) {
            return new RunEvent.RestartOnErrorRequested(move.statusMessage() + " (restart "
                    + (run.restartCount() + 1) + " of " + RunOptions.MAX_RESTARTS + ")");
        }
        return event;
    }
}
