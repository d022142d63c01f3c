package io.actord.daemon;

import io.actord.daemon.state.PostgresStateStore;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.TableDef;

import java.util.List;

/** Opens the state store {@code --state} chose: RocksDB in the state directory, or a PostgreSQL database. */
final class StateStores {
    private StateStores() {
    }

    static StateStore open(DaemonConfig config, List<TableDef<?, ?>> tables) {
        return config.operations().postgres().<StateStore>map(location -> PostgresStateStore.open(location, tables))
                .orElseGet(() -> RocksStateStore.open(config.rocksDbDir(), tables));
    }
}
