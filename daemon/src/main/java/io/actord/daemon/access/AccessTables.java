package io.actord.daemon.access;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of run sharing, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class AccessTables {
    /** {@code runId → RunSharing}: a run's general access and per-user grants; absent = not shared. */
    public static final TableDef<String, RunSharing> RUN_SHARING = json("run_sharing", RunSharing.class);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(RUN_SHARING);

    private AccessTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
