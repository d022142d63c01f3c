package io.actord.daemon.version;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.JsonCodec;
import io.actord.daemon.state.TableDef;

import java.util.List;

/** The state table of actor versions. */
public final class VersionTables {
    /** {@code actorId|versionNumber| → ActorVersion}. */
    public static final TableDef<VersionKey, ActorVersion> VERSIONS = new TableDef<>("actor_versions", VersionKey.CODEC,
            new JsonCodec<>(Json.MAPPER, ActorVersion.class));

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(VERSIONS);

    private VersionTables() {
    }
}
