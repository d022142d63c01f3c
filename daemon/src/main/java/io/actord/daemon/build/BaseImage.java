package io.actord.daemon.build;

import io.actord.daemon.image.Digest;

import java.util.List;

/**
 * What a stage starts from: the layers (DiffIDs, lowest first) and config of a stored image, an imported one, an
 * earlier stage's result or scratch (none), and the cache key of that image.
 */
record BaseImage(List<Digest> layers, ImageSettings settings, String key) {
    BaseImage {
        layers = List.copyOf(layers);
    }

    static BaseImage of(List<Digest> layers, ImageSettings settings) {
        return new BaseImage(layers, settings, BuildCache.baseKey(layers));
    }
}
