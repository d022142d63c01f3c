package io.actord.daemon.schedule;

/**
 * What a schedule does when it fires: start a run of an actor ({@code RUN_ACTOR}, {@code actorId}) or of a task
 * ({@code RUN_ACTOR_TASK}, {@code actorTaskId}), with the input and options given here over the target's own.
 */
public record ScheduleAction(String id, String type, String actorId, String actorTaskId, RunInput runInput,
                             RunOptions runOptions) {
    public static final String RUN_ACTOR = "RUN_ACTOR";
    public static final String RUN_ACTOR_TASK = "RUN_ACTOR_TASK";

    /** The run's INPUT: the body as text and its content type; null fields take the target's input. */
    public record RunInput(String body, String contentType) {
    }

    /** Options over the target's defaults; null fields keep them. */
    public record RunOptions(String build, Long timeoutSecs, Long memoryMbytes, Boolean restartOnError) {
    }

    public boolean runsTask() {
        return RUN_ACTOR_TASK.equals(type);
    }

    /** The actor's or the task's id, whichever the action runs. */
    public String target() {
        return runsTask() ? actorTaskId : actorId;
    }
}
