package io.actord.daemon.schedule;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.StartRequest;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The schedules' targets on this daemon: actor runs through {@link RunService}. Tasks are not here yet: a task
 * action is refused with 400 until the task service is wired in its place.
 */
public final class ActorTargets implements ScheduleTargets {
    static final String ORIGIN = "SCHEDULER";
    private static final String NO_TASKS = "tasks are not available on this daemon";

    private final ActorService actors;
    private final RunService runs;

    public ActorTargets(ActorService actors, RunService runs) {
        this.actors = actors;
        this.runs = runs;
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
        throw ScheduleRules.invalid(NO_TASKS);
    }

    @Override
    public String taskId(String userId, String ref) {
        throw ScheduleRules.invalid(NO_TASKS);
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
                Optional.empty(), Optional.empty(), Optional.of(scheduleId));
    }
}
