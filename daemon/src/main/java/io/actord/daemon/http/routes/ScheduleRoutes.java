package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.schedule.Schedule;
import io.actord.daemon.schedule.ScheduleAction;
import io.actord.daemon.schedule.ScheduleInput;
import io.actord.daemon.schedule.ScheduleService;
import io.actord.daemon.schedule.ScheduleTargets;
import io.actord.daemon.state.Paging;

import java.util.function.Function;

/**
 * Schedules, as apify-client's {@code schedules()} and {@code schedule(id)} call them: {@code /v2/schedules},
 * {@code /v2/schedules/{scheduleId}} and its {@code /log}. A schedule is its owner's alone; an action's actor must
 * be one the caller may run (an unknown one is 400, as every other bad field).
 */
public final class ScheduleRoutes {
    private static final String P = "/v2/schedules";

    private final ScheduleService schedules;
    private final ScheduleTargets targets;
    private final ApiResources resources;

    public ScheduleRoutes(ScheduleService schedules, ScheduleTargets targets, ApiResources resources) {
        this.schedules = schedules;
        this.targets = targets;
        this.resources = resources;
    }

    public void register(Router router) {
        String one = P + "/{scheduleId}";
        router.get(P, this::list)
                .post(P, this::create)
                .get(one, r -> ApiResponse.data(200, schedules.get(user(r), id(r))))
                .put(one, r -> ApiResponse.data(200, schedules.update(user(r), id(r), body(r), resolver(r))))
                .delete(one, r -> {
                    schedules.delete(user(r), id(r));
                    return ApiResponse.noContent();
                })
                .get(one + "/log", r -> ApiResponse.data(200, schedules.log(user(r), id(r))));
    }

    private ApiResponse list(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Paging.Page<Schedule> found = schedules.list(user(r), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items()));
    }

    private ApiResponse create(ApiRequest r) {
        Schedule created = schedules.create(user(r), body(r), resolver(r));
        return ApiResponse.data(201, created).withHeader("Location", P + "/" + created.id());
    }

    /** Each action's target as an id: the caller's actor (400 when there is none), or a task the targets know. */
    private Function<ScheduleAction, String> resolver(ApiRequest r) {
        return a -> a.runsTask() ? targets.taskId(user(r), a.actorTaskId()) : actorId(r, a.actorId());
    }

    private String actorId(ApiRequest r, String ref) {
        try {
            return resources.actor(r, ref, Need.WRITE).id();
        } catch (ApiException e) {
            if (e.type() == ErrorType.RECORD_NOT_FOUND) {
                throw new ApiException(ErrorType.INVALID_INPUT, "actorId: " + e.getMessage());
            }
            throw e;
        }
    }

    private static String user(ApiRequest r) {
        return r.caller().userId();
    }

    private static String id(ApiRequest r) {
        return r.pathParam("scheduleId");
    }

    private static ScheduleInput body(ApiRequest r) {
        return Bodies.json(r, ScheduleInput.class);
    }
}
