package io.actord.daemon.run;

import io.actord.daemon.state.KeyCodec;

/**
 * A key of {@link RunTables#RUNS_UNPLACED}, {@code startedAt(8B)|runId}: the runs that wait for a host in a cluster
 * (#26), the earliest started first, which is the order placement takes them in.
 */
public record UnplacedRunKey(long startedAtMillis, String runId) {
    public static final KeyCodec<UnplacedRunKey> CODEC = KeyCodec.of(
            (k, out) -> out.u64(k.startedAtMillis).tail(k.runId),
            in -> new UnplacedRunKey(in.u64(), in.tail()));

    static UnplacedRunKey of(Run run) {
        return new UnplacedRunKey(run.startedAt().toEpochMilli(), run.id());
    }

    /**
     * Whether the run waits for placement: it is active, no host owns it and it has no container (a new run in a
     * cluster, or one whose host died or was drained). Outside a cluster every run has an owner from its start.
     */
    public static boolean isUnplaced(Run run) {
        return !run.status().isTerminal() && run.ownerHost() == null && run.container() == null;
    }
}
