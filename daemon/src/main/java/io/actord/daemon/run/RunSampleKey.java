package io.actord.daemon.run;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** A key of {@link RunTables#RUN_SAMPLES}, {@code runId|index(8B)}: a run's chart points, oldest first. */
public record RunSampleKey(String runId, long index) {
    public static final KeyCodec<RunSampleKey> CODEC = KeyCodec.of((k, out) -> out.str(k.runId).u64(k.index),
            in -> new RunSampleKey(in.str(), in.u64()));

    /** The points of one run. */
    public static KeyPrefix<RunSampleKey> ofRun(String runId) {
        return KeyPrefix.of(Keys.builder().str(runId));
    }
}
