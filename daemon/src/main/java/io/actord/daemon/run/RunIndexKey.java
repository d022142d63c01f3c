package io.actord.daemon.run;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

import java.util.Optional;

/**
 * A key of the runs' start-ordered indexes, {@code owner|startedAt(8B)|runId}: the owner is the actor's id
 * ({@link RunTables#RUNS_BY_ACTOR}), the user's ({@link RunTables#RUNS_BY_USER}) or the status's wire name
 * ({@link RunTables#RUNS_BY_STATUS}) or the task's ({@link RunTables#RUNS_BY_TASK}); under one owner, runs sort by start time.
 */
public record RunIndexKey(String owner, long startedAtMillis, String runId) {
    public static final KeyCodec<RunIndexKey> CODEC = KeyCodec.of(
            (k, out) -> out.str(k.owner).u64(k.startedAtMillis).tail(k.runId),
            in -> new RunIndexKey(in.str(), in.u64(), in.tail()));

    static RunIndexKey byActor(Run run) {
        return new RunIndexKey(run.actId(), run.startedAt().toEpochMilli(), run.id());
    }

    static RunIndexKey byUser(Run run) {
        return new RunIndexKey(run.userId(), run.startedAt().toEpochMilli(), run.id());
    }

    /** The run's entry in {@link RunTables#RUNS_BY_TASK}, when it was started from a task. */
    static Optional<RunIndexKey> byTask(Run run) {
        return Optional.ofNullable(run.actorTaskId()).map(task -> new RunIndexKey(task,
                run.startedAt().toEpochMilli(), run.id()));
    }

    static RunIndexKey byStatus(RunStatus status, Run run) {
        return new RunIndexKey(status.wireName(), run.startedAt().toEpochMilli(), run.id());
    }

    /** The runs of one actor, user or status. */
    public static KeyPrefix<RunIndexKey> ofOwner(String owner) {
        return KeyPrefix.of(Keys.builder().str(owner));
    }
}
