package io.actord.daemon.build;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.TableDef;

import java.util.List;

/** The state table of the build cache. */
public final class BuildTables {
    /**
     * {@code stepKey (64 hex) → CacheEntry}: what a step with that key made. The layers of its chain are referenced
     * in the layer store's {@code layer_refs} as {@code diffId|cache:stepKey}, written in the same batch.
     */
    public static final TableDef<String, CacheEntry> CACHE = TableDef.json("build_cache", Json.MAPPER,
            CacheEntry.class);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(CACHE);

    private BuildTables() {
    }
}
