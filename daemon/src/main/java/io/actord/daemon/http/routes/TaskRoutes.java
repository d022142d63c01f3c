package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.CreateTaskDto;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.api.dto.TaskDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunSelection;
import io.actord.daemon.run.RunService;
import io.actord.daemon.state.Paging;
import io.actord.daemon.task.Task;
import io.actord.daemon.task.TaskOptions;
import io.actord.daemon.task.TaskService;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Actor tasks as apify-client's {@code tasks()} and {@code task(id)} call them: {@code /v2/actor-tasks} (list,
 * create), {@code /v2/actor-tasks/{taskId}} (get, update, delete; the id may be {@code username~name}), its
 * {@code input}, its {@code runs} (start, list), {@code runs/last} (with abort, reboot, log and the default
 * storages), {@code run-sync} and {@code run-sync-get-dataset-items}. A task is its owner's alone: anyone else gets
 * 404, as for an actor. Starting one needs the task and its actor; a run takes the start request's options over the
 * task's over the actor's defaults ({@link TaskService#start}).
 */
public final class TaskRoutes {
    private static final String BASE = "/v2/actor-tasks";
    private static final String TASK = BASE + "/{taskId}";
    private static final String LAST = TASK + "/runs/last";

    private final TaskService tasks;
    private final RunService runs;
    private final ApiResources resources;
    private final Access access;
    private final Views views;
    private final RunRoutes runRoutes;

    public TaskRoutes(TaskService tasks, RunService runs, ApiResources resources, Access access, Views views,
                      RunRoutes runRoutes) {
        this.tasks = tasks;
        this.runRoutes = runRoutes;
        this.runs = runs;
        this.resources = resources;
        this.access = access;
        this.views = views;
    }

    /** Registers the routes; the log, storage and run-sync ones of the last run through the classes that own them. */
    public void register(Router router, LogRoutes logs, StorageRoutes storages, RunSyncRoutes sync) {
        router.get(BASE, this::list)
                .post(BASE, this::create)
                .get(TASK, r -> ApiResponse.data(200, view(task(r, Need.READ))))
                .put(TASK, this::update)
                .delete(TASK, r -> {
                    tasks.delete(task(r, Need.MANAGE).id());
                    return ApiResponse.noContent();
                })
                .get(TASK + "/input", r -> input(task(r, Need.READ)))
                .put(TASK + "/input", r -> input(tasks.updateInput(task(r, Need.WRITE).id(), Bodies.json(r,
                        JsonNode.class))))
                .add(HttpMethod.POST, TASK + "/runs", r -> runRoutes.started(r, startRun(r)))
                .get(TASK + "/runs", this::listRuns)
                .add(HttpMethod.GET, LAST, r -> runRoutes.answer(r, lastRun(r)))
                .add(HttpMethod.POST, LAST + "/abort", r -> runs.abort(lastRun(r, Need.WRITE).id(), r.queryBool("gracefully"))
                        .thenApply(this::ok))
                .add(HttpMethod.POST, LAST + "/reboot", r -> runs.reboot(lastRun(r, Need.WRITE).id()).thenApply(this::ok))
                .add(HttpMethod.GET, LAST + "/log", r -> logs.log(r, lastRun(r).id()));
        storages.registerDefaults(router, LAST, this::lastRun);
        sync.register(router, TASK, this::startRun);
    }

    /**
     * The task {@code {taskId}} names for the caller ({@code ~name} and bare names are the caller's own), if the
     * caller may do {@code need} to it; else 404 (401 without a token). For the routes of a task's other parts.
     */
    public Task task(ApiRequest r, Need need) {
        return task(r, r.pathParam("taskId"), need);
    }

    /** As {@link #task(ApiRequest, Need)}, for the task {@code ref} names (a webhook's condition). */
    public Task task(ApiRequest r, String ref, Need need) {
        Caller caller = r.caller();
        Task task = tasks.get(caller.userId(), ref);
        access.check(caller, Access.Resource.owned("Actor task", ref, task.userId()), need);
        return task;
    }

    private ApiResponse list(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Paging.Page<Task> found = tasks.list(r.caller().userId(), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(this::view).toList()));
    }

    private ApiResponse create(ApiRequest r) {
        CreateTaskDto body = Bodies.json(r, CreateTaskDto.class);
        if (body.actId() == null || body.actId().isBlank()) {
            throw ApiException.invalidValue("a task needs actId: the id or username~name of the actor it runs");
        }
        checkNotPublic(body);
        Actor actor = taskActor(r, body.actId());
        Task task = tasks.create(actor, spec(body), r.caller().userId(), r.caller().username());
        return ApiResponse.data(201, view(task)).withHeader("Location", BASE + "/" + task.id());
    }

    private ApiResponse update(ApiRequest r) {
        CreateTaskDto body = Bodies.json(r, CreateTaskDto.class);
        Task task = task(r, Need.WRITE);
        checkNotPublic(body);
        return ApiResponse.data(200, view(tasks.update(task.id(), spec(body))));
    }

    /** The actor a new task runs: 400 when there is none the caller may run (a task of nothing cannot be made). */
    private Actor taskActor(ApiRequest r, String ref) {
        try {
            return resources.actor(r, ref, Need.WRITE);
        } catch (ApiException e) {
            if (e.type() != ErrorType.RECORD_NOT_FOUND) {
                throw e;
            }
            throw ApiException.invalidValue("actId: " + e.getMessage());
        }
    }

    /** Tasks have no public landing page here; unpublishing one (the state every task is in) is accepted. */
    private static void checkNotPublic(CreateTaskDto body) {
        if (Boolean.TRUE.equals(body.isPublic())) {
            throw new ApiException(ErrorType.NOT_IMPLEMENTED, "publishing a task is not implemented: actord has no"
                    + " public task pages");
        }
    }

    private static TaskService.TaskSpec spec(CreateTaskDto body) {
        TaskDto.Options o = body.options();
        return new TaskService.TaskSpec(body.name(), body.title(), body.description(), o == null ? null
                : new TaskOptions(o.build(), o.timeoutSecs(), o.memoryMbytes(), o.restartOnError()), body.input());
    }

    /** Apify's task input: the bare JSON (not in a data envelope), {@code {}} for a task without input. */
    private static ApiResponse input(Task task) {
        return ApiResponse.json(200, task.input() == null ? Map.of() : task.input());
    }

    /** Starts a run of the path's task as the caller, who must be able to run its actor too. */
    Run startRun(ApiRequest r) {
        Task task = task(r, Need.WRITE);
        Actor actor = tasks.actorOf(task);
        access.check(r.caller(), Access.Resource.owned("Actor", actor.id(), actor.userId()), Need.WRITE);
        return tasks.start(task, actor, r.caller().userId(), RunRoutes.startRequest(r));
    }

    private ApiResponse listRuns(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Paging.Page<Run> found = runs.list(selection(r, task(r, Need.READ)), page.offset(), page.limit(),
                page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(views::run).toList()));
    }

    /** The task's runs, whoever started them (only its owner and the admin can); {@code status} and the times pick. */
    private RunSelection selection(ApiRequest r, Task task) {
        RunSelection query = resources.selection(r, Optional.empty());
        return new RunSelection(Optional.empty(), Optional.empty(), query.statuses(), query.startedAfter(),
                query.startedBefore(), Optional.of(task.id()));
    }

    private Run lastRun(ApiRequest r) {
        return lastRun(r, Need.READ);
    }

    private Run lastRun(ApiRequest r, Need need) {
        Task task = task(r, need);
        return runs.last(selection(r, task)).orElseThrow(() -> ApiException.notFound("Last run of task",
                r.pathParam("taskId")));
    }

    private TaskDto view(Task t) {
        TaskOptions o = t.options();
        return new TaskDto(t.id(), t.userId(), t.actId(), t.name(), t.username(), t.title(), t.description(),
                t.createdAt(), t.modifiedAt(), null, new TaskDto.Stats(tasks.totalRuns(t.id())),
                new TaskDto.Options(o.build(), o.timeoutSecs(), o.memoryMbytes(), o.restartOnError()), t.input(),
                null);
    }

    private ApiResponse ok(Run run) {
        return ApiResponse.data(200, views.run(run));
    }
}
