package io.actord.daemon.state;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Objects;

/**
 * The declaration of one table: its column family name and how its keys and values are encoded. Each domain
 * package declares its own as constants ({@code RunTables}, {@code StorageTables}, …) and the daemon's
 * composition root joins them for {@code RocksStateStore.open}; {@link StateStore#table(TableDef)} gives the typed view.
 */
public record TableDef<K, V>(String name, Codec<K> keyCodec, Codec<V> valueCodec) {
    public TableDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keyCodec, "keyCodec");
        Objects.requireNonNull(valueCodec, "valueCodec");
        if (name.isEmpty() || name.equals("default")) {
            throw new IllegalArgumentException("table name must be non-empty and not 'default': " + name);
        }
    }

    /** A table keyed by a string id whose values are JSON. */
    public static <V> TableDef<String, V> json(String name, ObjectMapper mapper, Class<V> type) {
        return new TableDef<>(name, Codecs.STRING, new JsonCodec<>(mapper, type));
    }
}
