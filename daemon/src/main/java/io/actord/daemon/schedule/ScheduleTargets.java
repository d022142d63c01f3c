package io.actord.daemon.schedule;

import io.actord.daemon.run.Run;

/**
 * How a fire starts its runs, and what the schedules need to know of runs and tasks. The daemon gives
 * {@link ActorTargets}: actors through the run service; tasks once the task service is wired in.
 */
public interface ScheduleTargets {
    /**
     * Starts a run of actor {@code actorId} for {@code userId} (origin SCHEDULER, {@code meta.scheduleId}), with
     * {@code input} and {@code options} over the actor's defaults.
     */
    Run startActor(String actorId, String userId, ScheduleAction.RunInput input, ScheduleAction.RunOptions options,
                   String scheduleId);

    /** As {@link #startActor}, for task {@code taskId}: the action's input and options over the task's. */
    Run startTask(String taskId, String userId, ScheduleAction.RunInput input, ScheduleAction.RunOptions options,
                  String scheduleId);

    /** The id of the task {@code ref} names, if {@code userId} may run it; else 400 invalid-input. */
    String taskId(String userId, String ref);

    /** Whether the run exists and has not ended (what {@code isExclusive} waits for). */
    boolean isActive(String runId);
}
