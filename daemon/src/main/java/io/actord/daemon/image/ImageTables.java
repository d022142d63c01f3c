package io.actord.daemon.image;

import io.actord.daemon.common.Json;
import io.actord.daemon.state.Codecs;
import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.Keys;
import io.actord.daemon.state.TableDef;

import java.util.List;

/**
 * The state tables of the layer store, with their key layouts.
 * {@code |} is {@link Keys#SEPARATOR} after a string component; {@code (8B)} is a big-endian u64, {@code (4B)} a big-endian u32; {@code ∅} an empty value.
 * Timestamps are epoch milliseconds. Index tables are written in the same batch as the record they index.
 */
public final class ImageTables {
    /** {@code diffId → Layer}: the unpacked layers of the layer store, by the digest of their uncompressed tar. */
    public static final TableDef<String, Layer> LAYERS = json("layers", Layer.class);

    /**
     * {@code diffId|buildId → ∅}: which builds use a layer (its reference count), written in the build's own
     * batch; a named image's use is {@code diffId|image:NAME}. A layer without entries is garbage.
     */
    public static final TableDef<LayerRefKey, Empty> LAYER_REFS =
            new TableDef<>("layer_refs", LayerRefKey.CODEC, Codecs.EMPTY);

    /** {@code name → NamedImage}: base images by name ({@code apify/actor-node:20}), for FROM. */
    public static final TableDef<String, NamedImage> IMAGES = json("images", NamedImage.class);

    /** This package's tables, for {@code RocksStateStore.open}. */
    public static final List<TableDef<?, ?>> ALL = List.of(LAYERS, LAYER_REFS, IMAGES);

    private ImageTables() {
    }

    private static <V> TableDef<String, V> json(String name, Class<V> type) {
        return TableDef.json(name, Json.MAPPER, type);
    }
}
