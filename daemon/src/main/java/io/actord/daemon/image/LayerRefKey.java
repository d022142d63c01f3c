package io.actord.daemon.image;

import io.actord.daemon.state.KeyCodec;
import io.actord.daemon.state.KeyPrefix;
import io.actord.daemon.state.Keys;

/** The key of {@link ImageTables#LAYER_REFS}, {@code diffId|buildId}: one build's use of one layer. */
public record LayerRefKey(String diffId, String buildId) {
    public static final KeyCodec<LayerRefKey> CODEC = KeyCodec.of((k, out) -> out.str(k.diffId).tail(k.buildId),
            in -> new LayerRefKey(in.str(), in.tail()));

    /** The builds that use the layer {@code diffId}. */
    public static KeyPrefix<LayerRefKey> ofLayer(String diffId) {
        return KeyPrefix.of(Keys.builder().str(diffId));
    }
}
