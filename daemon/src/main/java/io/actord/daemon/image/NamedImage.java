package io.actord.daemon.image;

import java.time.Instant;
import java.util.List;

/**
 * An image kept under a name ({@code apify/actor-node:20}), so that a Dockerfile's FROM finds it.
 *
 * @param layers DiffIDs, lowest first (each referenced in {@link ImageTables#LAYER_REFS} as
 *               {@code image:NAME})
 * @param source what was imported
 */
public record NamedImage(int schemaVersion, String name, String source, List<String> layers, ImageConfig config,
                         long bytes, Instant importedAt) {
    public static final int SCHEMA = 1;

    public NamedImage {
        layers = List.copyOf(layers);
    }
}
