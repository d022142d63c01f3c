package io.actord.daemon.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorNameKey;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.NamedRefs;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Ids;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunIndexKey;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.RunTables;
import io.actord.daemon.run.StartLimits;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.Paging;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.Table;
import io.actord.daemon.user.UserTables;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Actor tasks: create, find (by id, {@code username~name}, or {@code ~name} and a bare name of the caller's), update,
 * delete, and start their runs. Who may use which task is not decided here ({@link io.actord.daemon.access.Access}).
 * Writes are serialised by one lock, which keeps a user's task names unique.
 *
 * <p>A run of a task takes, for each run option, the start request's value, else the task's, else the actor's
 * default; its INPUT is the task's input with a JSON object body laid over it ({@link TaskInputs}). It carries the
 * task's id ({@code actorTaskId}, and ACTOR_TASK_ID inside the run).
 */
public final class TaskService {
    private static final Logger LOG = LoggerFactory.getLogger(TaskService.class);
    /** Apify's name rule for actors and tasks: letters, digits and inner dashes, 3 to 63 characters. */
    private static final Pattern NAME = Pattern.compile("^[a-zA-Z0-9]([a-zA-Z0-9-]{1,61})[a-zA-Z0-9]$");

    /**
     * The lock of task changes ({@link StateStore#locked}: across daemons on a shared store); taken inside the actors'
     * lock when an actor's deletion takes its tasks, never the other way round.
     */
    private static final List<String> WRITE_LOCK = List.of("tasks");

    private final StateStore store;
    private final Table<String, Task> tasks;
    private final Table<ActorNameKey, String> byOwner;
    private final Table<ActorNameKey, Empty> byActor;
    private final Table<String, String> usersByName;
    private final Table<RunIndexKey, Empty> runsByTask;
    private final ActorService actors;
    private final RunService runs;
    private final Clock clock;

    public TaskService(StateStore store, ActorService actors, RunService runs, Clock clock) {
        this.store = store;
        this.tasks = store.table(TaskTables.TASKS);
        this.byOwner = store.table(TaskTables.TASKS_BY_OWNER);
        this.byActor = store.table(TaskTables.TASKS_BY_ACTOR);
        this.usersByName = store.table(UserTables.USERS_BY_NAME);
        this.runsByTask = store.table(RunTables.RUNS_BY_TASK);
        this.actors = actors;
        this.runs = runs;
        this.clock = clock;
    }

    /** What a new task is made of, and what an update may change (null leaves a field as it is). */
    public record TaskSpec(String name, String title, String description, TaskOptions options, JsonNode input) {
    }

    /** A new task of {@code actor} owned by user {@code userId} ({@code username}); 400 name-not-unique. */
    public Task create(Actor actor, TaskSpec spec, String userId, String username) {
        String name = validName(spec.name());
        TaskOptions options = validOptions(spec.options() == null ? TaskOptions.NONE : spec.options());
        JsonNode input = TaskInputs.check(spec.input());
        return store.locked(WRITE_LOCK, () -> {
            ActorNameKey nameKey = new ActorNameKey(userId, name);
            if (byOwner.get(nameKey).isPresent()) {
                throw nameTaken(name);
            }
            Instant now = clock.instant();
            Task task = new Task(Task.SCHEMA, Ids.newId(), userId, username, actor.id(), name, spec.title(),
                    spec.description(), now, now, options, input);
            store.write(b -> {
                tasks.putInBatch(b, task.id(), task);
                byOwner.putInBatch(b, nameKey, task.id());
                byActor.putInBatch(b, new ActorNameKey(actor.id(), task.id()), Empty.INSTANCE);
            });
            LOG.info("task created task={} name={} actor={}", task.id(), task.fullName(), actor.fullName());
            return task;
        });
    }

    /** A page of user {@code userId}'s tasks, by name. */
    public Paging.Page<Task> list(String userId, long offset, long limit, boolean desc) {
        return Paging.page(byOwner, ActorNameKey.ofOwner(userId), desc, offset, limit, e -> tasks.get(e.value()));
    }

    /** The task a URL names (as {@link ActorService#get} resolves actors); 404 record-not-found if none. */
    public Task get(String userId, String ref) {
        return find(userId, ref).orElseThrow(() -> ApiException.notFound("Actor task", ref));
    }

    public Optional<Task> find(String userId, String ref) {
        return NamedRefs.find(usersByName, byOwner, tasks::get, userId, ref);
    }

    /** Changes the fields {@code update} sets; options merge option by option, the input is replaced whole. */
    public Task update(String taskId, TaskSpec update) {
        TaskOptions options = update.options() == null ? null : validOptions(update.options());
        JsonNode input = TaskInputs.check(update.input());
        return store.locked(WRITE_LOCK, () -> {
            Task task = existing(taskId);
            String name = update.name() == null ? task.name() : validName(update.name());
            ActorNameKey oldKey = new ActorNameKey(task.userId(), task.name());
            ActorNameKey newKey = new ActorNameKey(task.userId(), name);
            if (!name.equals(task.name()) && byOwner.get(newKey).isPresent()) {
                throw nameTaken(name);
            }
            Task updated = task.with(name, update.title() == null ? task.title() : update.title(),
                    update.description() == null ? task.description() : update.description(),
                    task.options().overriddenBy(options), input == null ? task.input() : input, clock.instant());
            store.write(b -> {
                byOwner.deleteInBatch(b, oldKey);
                byOwner.putInBatch(b, newKey, task.id());
                tasks.putInBatch(b, task.id(), updated);
            });
            return updated;
        });
    }

    /**
     * Updates the task's input ({@code PUT …/input}) as the platform does: the properties of a JSON object are set
     * over the task's input object, one by one, and the others keep their values; an array replaces it whole.
     */
    public Task updateInput(String taskId, JsonNode input) {
        JsonNode checked = TaskInputs.check(input);
        if (checked == null) {
            throw ApiException.invalidValue("a task's input must be a JSON object (or an array)");
        }
        return store.locked(WRITE_LOCK, () -> {
            Task task = existing(taskId);
            JsonNode merged = checked;
            if (checked.isObject() && task.input() != null && task.input().isObject()) {
                ObjectNode into = task.input().deepCopy();
                into.setAll((ObjectNode) checked);
                merged = into;
            }
            Task updated = task.with(task.name(), task.title(), task.description(), task.options(), merged,
                    clock.instant());
            tasks.put(task.id(), updated);
            return updated;
        });
    }

    /** Deletes the task; its runs stay (and keep its id as their {@code actorTaskId}). */
    public void delete(String taskId) {
        store.locked(WRITE_LOCK, () -> {
            Task task = existing(taskId);
            store.write(b -> deleteInBatch(b, task));
            LOG.info("task deleted task={} name={}", task.id(), task.fullName());
            return null;
        });
    }

    /**
     * Adds the deletion of every task of actor {@code actorId} to the batch that deletes the actor: a task
     * lives only as long as its actor (the platform's tasks of a deleted actor are gone with it).
     */
    public void deleteOfActorInBatch(Batch batch, String actorId) {
        store.locked(WRITE_LOCK, () -> {
            List<Task> gone = new ArrayList<>();
            try (CloseableIterator<Entry<ActorNameKey, Empty>> it = byActor.scan(KeyRange.of(
                    ActorNameKey.ofOwner(actorId)))) {
                it.forEachRemaining(e -> tasks.get(e.key().name()).ifPresent(gone::add));
            }
            gone.forEach(t -> deleteInBatch(batch, t));
            if (!gone.isEmpty()) {
                LOG.info("tasks deleted with their actor actor={} tasks={}", actorId, gone.size());
            }
            return null;
        });
    }

    private void deleteInBatch(Batch b, Task task) {
        tasks.deleteInBatch(b, task.id());
        byOwner.deleteInBatch(b, new ActorNameKey(task.userId(), task.name()));
        byActor.deleteInBatch(b, new ActorNameKey(task.actId(), task.id()));
    }

    /** How many runs were started from the task and are still kept. */
    public long totalRuns(String taskId) {
        return runsByTask.count(RunIndexKey.ofOwner(taskId));
    }

    /** The actor the task runs; 400 invalid-value when it was deleted (the task cannot run any more). */
    public Actor actorOf(Task task) {
        return actors.byId(task.actId()).orElseThrow(() -> ApiException.invalidValue("the actor of task '"
                + task.fullName() + "' (" + task.actId() + ") no longer exists, so the task cannot run"));
    }

    /**
     * Starts a run of {@code task} (whose actor the caller may run) for user {@code userId}. {@code request} is what
     * the start asked for: its build, memory and timeout beat the task's, and its input is laid over the task's
     * ({@link TaskInputs}); its {@code actorTaskId} is ignored (the task's id is set).
     */
    public Run start(Task task, Actor actor, String userId, StartRequest request) {
        TaskOptions o = task.options();
        TaskInputs.Input input = TaskInputs.merge(task.input(), request.input(), request.contentType());
        return runs.start(actor, userId, new StartRequest(request.build().or(() -> Optional.ofNullable(o.build())),
                request.memoryMbytes().or(() -> Optional.ofNullable(o.memoryMbytes()).map(Integer::longValue)),
                request.timeoutSecs().or(() -> Optional.ofNullable(o.timeoutSecs()).map(Integer::longValue)),
                input.body(), input.contentType(), request.origin(), request.network(), request.admin(),
                request.webhooks(), Optional.of(task.id()), request.scheduleId(), new StartLimits(
                request.limits().maxItems(), request.limits().maxTotalChargeUsd(),
                request.limits().restartOnError().or(() -> Optional.ofNullable(o.restartOnError())))));
    }

    /** Run options a caller outside the API (a schedule) lays over the task's; empty ones leave the task's. */
    public record Overrides(Optional<String> build, Optional<Long> memoryMbytes, Optional<Long> timeoutSecs) {
        public static final Overrides NONE = new Overrides(Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * Starts a run of task {@code taskId} for its owner {@code userId}, as a schedule does: {@code input}, when
     * present, is laid over the task's input as a start request's JSON body would be; {@code origin} is the run's
     * {@code meta.origin} (SCHEDULER) and {@code scheduleId} its {@code meta.scheduleId}.
     *
     * @throws ApiException 404 record-not-found when the user has no such task; 400 when its actor was deleted
     *                      or an option is invalid; whatever {@link RunService#start} throws (402, 503)
     */
    public Run start(String taskId, String userId, Optional<JsonNode> input, Overrides overrides, String origin,
                     Optional<String> scheduleId) {
        Task task = tasks.get(taskId).filter(t -> t.userId().equals(userId))
                .orElseThrow(() -> ApiException.notFound("Actor task", taskId));
        byte[] body = input.filter(n -> !n.isNull() && !n.isMissingNode()).map(TaskInputs::bytes).orElse(new byte[0]);
        return start(task, actorOf(task), userId, new StartRequest(overrides.build(), overrides.memoryMbytes(),
                overrides.timeoutSecs(), body, Optional.of(TaskInputs.JSON), origin, Optional.empty(), false,
                Optional.empty(), Optional.of(taskId), scheduleId));
    }

    private Task existing(String taskId) {
        return tasks.get(taskId).orElseThrow(() -> ApiException.notFound("Actor task", taskId));
    }

    private static ApiException nameTaken(String name) {
        return new ApiException(ErrorType.NAME_NOT_UNIQUE, "a task named '" + name + "' already exists");
    }

    private static String validName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw ApiException.invalidValue("task name must be 3-63 letters, digits or dashes, starting and ending"
                    + " with a letter or digit, got '" + name + "'");
        }
        return name;
    }

    private static TaskOptions validOptions(TaskOptions o) {
        if (o.memoryMbytes() != null) {
            RunSize.of(o.memoryMbytes());
        }
        if (o.timeoutSecs() != null && o.timeoutSecs() < 0) {
            throw ApiException.invalidValue("timeoutSecs must be 0 (no timeout) or more, got " + o.timeoutSecs());
        }
        if (o.build() != null && o.build().isBlank()) {
            throw ApiException.invalidValue("build must be a build tag or number, not blank");
        }
        return o;
    }
}
