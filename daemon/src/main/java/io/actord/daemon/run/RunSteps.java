package io.actord.daemon.run;

/**
 * Told each {@link RunStep} a run reaches. The daemon passes {@link #NONE}; the crash-window test's
 * daemon passes one that stops at a chosen step, so that it is killed exactly there instead of at a moment
 * guessed by timing (issue #20).
 */
@FunctionalInterface
public interface RunSteps {
    /** Does nothing: the daemon's own. */
    RunSteps NONE = (step, runId) -> {
    };

    /** Run {@code runId} reached {@code step}; on the run's executor, which waits while this does not return. */
    void reached(RunStep step, String runId);
}
