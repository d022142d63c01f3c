package io.actord.daemon.state;

import java.util.Optional;

/**
 * The {@code meta} table every {@link StateStore} keeps, and what both implementations do with it: the schema
 * version the data was written with, checked on open, and the key {@link StateStore#unavailableReason} writes to
 * see that writes work.
 */
final class StoreMeta {
    static final TableDef<String, Integer> TABLE = new TableDef<>("meta", Codecs.STRING, Codecs.INT);
    private static final String SCHEMA_KEY = "schema";
    private static final String PROBE_KEY = "ready-probe";

    private StoreMeta() {
    }

    /**
     * Stores {@link StateStore#SCHEMA_VERSION} in a new store (unless {@code readOnly}).
     *
     * @throws StoreException when the store at {@code where} was written by a newer schema
     */
    static void checkSchema(StateStore store, boolean readOnly, Object where) {
        Table<String, Integer> meta = store.table(TABLE);
        int stored = meta.get(SCHEMA_KEY).orElse(0);
        if (stored == 0 && !readOnly) {
            meta.put(SCHEMA_KEY, StateStore.SCHEMA_VERSION);
        } else if (stored > StateStore.SCHEMA_VERSION) {
            throw new StoreException("open state database " + where + ": it has schema " + stored
                    + ", this actord understands up to " + StateStore.SCHEMA_VERSION);
        }
    }

    static int schemaVersion(StateStore store) {
        return store.table(TABLE).get(SCHEMA_KEY).orElseThrow();
    }

    /** A small unsynced write: a store that refuses writes (a disk error, a read-only server) says why. */
    static Optional<String> probe(StateStore store) {
        try {
            Table<String, Integer> meta = store.table(TABLE);
            store.writeUnsynced(b -> meta.putInBatch(b, PROBE_KEY, 1));
            return Optional.empty();
        } catch (StoreException e) {
            return Optional.of(e.getMessage());
        }
    }
}
