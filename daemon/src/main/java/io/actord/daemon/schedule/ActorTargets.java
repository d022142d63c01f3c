package io.actord.daemon.schedule;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.StartLimits;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.task.Task;
import io.actord.daemon.task.TaskService;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The schedules' targets on this daemon: actor runs through {@link RunService}, task runs through
 * {@link TaskService} (the action's input and options over the task's). Both start on the calling thread, so the
 * fire's outcome is stored in the run's own start batch ({@link Scheduler} is a start listener).
 */
public final class ActorTargets implements ScheduleTargets {
    static final String ORIGIN = "SCHEDULER";
    private final ActorService actors;
    private final RunService runs;
    private final TaskService tasks;

    public ActorTargets(ActorService actors, RunService runs, TaskService tasks) {
        this.actors = actors;
        this.runs = runs;
        this.tasks = tasks;
    }

    @Override
    public Run startActor(String actorId, String userId, ScheduleAction.RunInput input,
                          ScheduleAction.RunOptions options, String scheduleId) {
        Actor actor = actors.byId(actorId).orElseThrow(() -> ApiException.notFound("Actor", actorId));
        return runs.start(actor, userId, request(input, options, scheduleId));
    }

    @Override
    public Run startTask(String taskId, String userId, ScheduleAction.RunInput input,
                         ScheduleAction.RunOptions options, String scheduleId) {
        Task task = owned(userId, taskId).orElseThrow(() -> ApiException.notFound("Actor task", taskId));
        return tasks.start(task, tasks.actorOf(task), userId, request(input, options, scheduleId));
    }

    /** The task's id when {@code userId} owns it and its actor still exists; 400 invalid-input otherwise. */
    @Override
    public String taskId(String userId, String ref) {
        Task task = owned(userId, ref).orElseThrow(() -> ScheduleRules.invalid("no actor task '" + ref + "'"));
        tasks.actorOf(task);
        return task.id();
    }

    private Optional<Task> owned(String userId, String ref) {
        return tasks.find(userId, ref).filter(t -> t.userId().equals(userId));
    }

    @Override
    public boolean isActive(String runId) {
        return runs.find(runId).map(run -> !run.status().isTerminal()).orElse(false);
    }

    /** A start request of the scheduler: the action's input and options, none of the API's extras. */
    public static StartRequest request(ScheduleAction.RunInput input, ScheduleAction.RunOptions options,
                                       String scheduleId) {
        ScheduleAction.RunOptions o = options == null ? new ScheduleAction.RunOptions(null, null, null, null) : options;
        byte[] body = input == null || input.body() == null ? new byte[0]
                : input.body().getBytes(StandardCharsets.UTF_8);
        return new StartRequest(Optional.ofNullable(o.build()), Optional.ofNullable(o.memoryMbytes()),
                Optional.ofNullable(o.timeoutSecs()), body,
                Optional.ofNullable(input == null ? null : input.contentType()), ORIGIN, Optional.empty(), false,
                Optional.empty(), Optional.empty(), Optional.of(scheduleId),
                new StartLimits(Optional.empty(), Optional.empty(), Optional.ofNullable(o.restartOnError())));
    }
}
