package io.actord.daemon.image;

import java.util.List;

/**
 * An imported image: its layers are in the store and stay pinned there until this is closed, which the
 * caller does once the build that references them is stored (or has failed, see {@link #discard()}).
 *
 * @param source what was imported ("oci:/srv/img:1.0", "rootfs /srv/rootfs")
 * @param layers DiffIDs, lowest layer first
 * @param bytes  the uncompressed size of the layers this import unpacked (0 for layers the store had)
 */
public record ImportedImage(String source, List<Digest> layers, ImageConfig config, long bytes,
                            LayerStore store, LayerStore.Pin pin) implements AutoCloseable {
    public ImportedImage {
        layers = List.copyOf(layers);
    }

    /** Releases the pin: from now on only the builds' references keep the layers. */
    @Override
    public void close() {
        pin.close();
    }

    /** Releases the pin and removes the layers no build uses (the build was not stored). */
    public void discard() {
        pin.close();
        store.collect(layers);
    }
}
