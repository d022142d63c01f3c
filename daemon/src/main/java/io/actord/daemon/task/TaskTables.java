package io.actord.daemon.task;

import io.actord.daemon.actor.ActorNameKey;
import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of actor tasks, with their key layouts ({@code |} ends a string component; {@code ∅} an empty
 * value). The two indexes are two-string keys of the same shape as the actors' name index, so they share its codec.
 * Index entries are written in the same batch as the task.
 */
public final class TaskTables {
    /** {@code taskId → Task}. */
    public static final TableDef<String, Task> TASKS = TableDef.json("tasks", Json.MAPPER, Task.class);

    /** {@code userId|name → taskId}: resolves {@code username~name} and keeps a user's task names unique. */
    public static final TableDef<ActorNameKey, String> TASKS_BY_OWNER =
            new TableDef<>("tasks_by_owner", ActorNameKey.CODEC, Codecs.STRING);

    /** {@code actorId|taskId → ∅}: an actor's tasks, deleted with the actor. */
    public static final TableDef<ActorNameKey, Empty> TASKS_BY_ACTOR =
            new TableDef<>("tasks_by_actor", ActorNameKey.CODEC, Codecs.EMPTY);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(TASKS, TASKS_BY_OWNER, TASKS_BY_ACTOR);

    private TaskTables() {
    }
}
