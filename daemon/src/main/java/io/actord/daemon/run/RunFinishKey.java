package io.actord.daemon.run;

import io.actord.daemon.state.KeyCodec;

/** A key of {@link RunTables#RUNS_BY_FINISH}, {@code finishedAt(8B)|runId}: finished runs, the earliest first. */
public record RunFinishKey(long finishedAtMillis, String runId) {
    public static final KeyCodec<RunFinishKey> CODEC = KeyCodec.of(
            (k, out) -> out.u64(k.finishedAtMillis).tail(k.runId),
            in -> new RunFinishKey(in.u64(), in.tail()));

    static RunFinishKey of(Run run) {
        return new RunFinishKey(run.finishedAt().toEpochMilli(), run.id());
    }
}
