package io.actord.daemon.run;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of runs, their indexes and their CPU/memory samples, with their key layouts (the typed keys
 * {@link RunIndexKey}, {@link RunFinishKey} and {@link RunSampleKey} write them).
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class RunTables {
    /** {@code runId → Run}. */
    public static final TableDef<String, Run> RUNS = json("runs", Run.class);

    /** {@code actorId|startedAt(8B)|runId → ∅}: an actor's runs, oldest first ({@code /acts/{id}/runs}, {@code runs/last}). */
    public static final TableDef<RunIndexKey, Empty> RUNS_BY_ACTOR =
            new TableDef<>("runs_by_actor", RunIndexKey.CODEC, Codecs.EMPTY);

    /** {@code userId|startedAt(8B)|runId → ∅}: a user's runs, oldest first ({@code /actor-runs}). */
    public static final TableDef<RunIndexKey, Empty> RUNS_BY_USER =
            new TableDef<>("runs_by_user", RunIndexKey.CODEC, Codecs.EMPTY);

    /**
     * {@code actorTaskId|startedAt(8B)|runId → ∅}: the runs started from a task, oldest first
     * ({@code /actor-tasks/{id}/runs}, its {@code runs/last}); a run of no task has no entry.
     */
    public static final TableDef<RunIndexKey, Empty> RUNS_BY_TASK =
            new TableDef<>("runs_by_task", RunIndexKey.CODEC, Codecs.EMPTY);

    /**
     * {@code status|startedAt(8B)|runId → ∅}, with the wire status name: recovery scans the active statuses
     * after a restart. A status change moves the entry in the same batch as the run.
     */
    public static final TableDef<RunIndexKey, Empty> RUNS_BY_STATUS =
            new TableDef<>("runs_by_status", RunIndexKey.CODEC, Codecs.EMPTY);

    /**
     * {@code containerUrlToken → runId}: the run a container URL names, for a host that does not run it (a cluster's
     * {@code ContainerUrlRelay}); written with the run, deleted with it: the token never changes, not across a
     * resurrection, a reboot or a migration. Runs stored before the table existed get their entry at start.
     */
    public static final TableDef<String, String> RUNS_BY_CONTAINER_TOKEN =
            new TableDef<>("runs_by_container_token", Codecs.STRING, Codecs.STRING);

    /** {@code finishedAt(8B)|runId → ∅}: finished runs, the longest finished first (the retention sweep). */
    public static final TableDef<RunFinishKey, Empty> RUNS_BY_FINISH =
            new TableDef<>("runs_by_finish", RunFinishKey.CODEC, Codecs.EMPTY);

    /**
     * {@code runId|index(8B) → at(8B) cpu(8B, double) mem(8B) samples(4B)}: a run's CPU and memory chart
     * points, oldest first, each standing for {@code samples} cgroup samples (RunSamples).
     */
    public static final TableDef<RunSampleKey, byte[]> RUN_SAMPLES =
            new TableDef<>("run_samples", RunSampleKey.CODEC, Codecs.BYTES);

    /**
     * {@code startedAt(8B)|runId → ∅}: the runs that wait for a host in a cluster ({@link UnplacedRunKey#isUnplaced}),
     * the earliest started first; placement reads this instead of every run. Written with the run whenever it
     * becomes or stops being unplaced.
     */
    public static final TableDef<UnplacedRunKey, Empty> RUNS_UNPLACED =
            new TableDef<>("runs_unplaced", UnplacedRunKey.CODEC, Codecs.EMPTY);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(RUNS, RUNS_BY_ACTOR, RUNS_BY_USER, RUNS_BY_STATUS, RUNS_BY_FINISH, RUN_SAMPLES,
            RUNS_BY_TASK, RUNS_UNPLACED, RUNS_BY_CONTAINER_TOKEN);

    private RunTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
