package io.actord.daemon.store;

import java.util.Objects;

/**
 * The declaration of one table: its column family name and how its keys and values are encoded. Declared
 * once, as constants in {@link Tables}; {@link StateStore#table(TableDef)} gives the typed view.
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
}
