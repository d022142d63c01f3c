package io.actord.daemon.image;

import java.util.List;
import java.util.Optional;

/**
 * One image chosen from a source: its config and where each layer's blob is, lowest layer first.
 *
 * @param description what was chosen, for logs and errors ("oci:/img:1.0 manifest sha256:…")
 */
record ResolvedImage(ImageConfig config, List<Blob> layers, String description) {
    /** A layer blob in the source, with the digests it must have. */
    record Blob(String name, Optional<Digest> digest, Digest diffId) {
    }

    ResolvedImage {
        layers = List.copyOf(layers);
        if (layers.size() != config.diffIds().size()) {
            throw new ImageException(description + ": the manifest lists " + layers.size() + " layers but the config "
                    + config.diffIds().size() + " diff_ids");
        }
        if (layers.isEmpty()) {
            throw new ImageException(description + ": the image has no layers");
        }
    }
}
