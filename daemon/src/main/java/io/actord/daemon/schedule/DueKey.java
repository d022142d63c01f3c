package io.actord.daemon.schedule;

import io.actord.daemon.state.KeyCodec;

/** The key of the due index, {@code nextRunAt(8B)|scheduleId}: the schedule due first comes first. */
public record DueKey(long atMillis, String scheduleId) {
    public static final KeyCodec<DueKey> CODEC = KeyCodec.of((k, out) -> out.u64(k.atMillis).tail(k.scheduleId),
            in -> new DueKey(in.u64(), in.tail()));
}
