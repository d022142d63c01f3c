package io.actord.daemon.build;

import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageException;

import java.util.List;

/**
 * Brings a base image's layers that this host's layer store lacks before a build uses them: in a cluster, a named
 * image's record is shared but its layers are on the host that imported it (#26), so they are fetched from a peer.
 */
@FunctionalInterface
public interface MissingLayers {
    /** One host: every named image's layers are in its store, or lost. */
    MissingLayers NONE = (layers, what) -> {
    };

    /**
     * Makes each of {@code layers} present in the layer store if it can; {@code what} names their image.
     *
     * @throws ImageException when a layer could not be brought
     */
    void fetch(List<Digest> layers, String what);
}
