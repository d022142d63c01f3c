package io.actord.daemon.build;

import io.actord.runtime.LayerFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * {@link LayerFiles} that needs no privileges: owners and attributes are not applied; no whiteouts or FIFOs. The
 * directories given are reported opaque.
 */
final class PlainLayerFiles implements LayerFiles {
    private final Set<Path> opaque;

    PlainLayerFiles(Path... opaque) {
        this.opaque = Set.of(opaque);
    }

    @Override
    public void owner(Path path, int uid, int gid) {
    }

    @Override
    public void whiteout(Path path) {
        throw new UnsupportedOperationException("whiteouts need privileges: " + path);
    }

    @Override
    public void markOpaque(Path dir) {
    }

    @Override
    public void fifo(Path path, int mode) {
        throw new UnsupportedOperationException("FIFOs are not made here: " + path);
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) {
    }

    @Override
    public Optional<byte[]> xattr(Path path, String name) {
        return name.equals("trusted.overlay.opaque") && opaque.contains(path)
                ? Optional.of("y".getBytes(StandardCharsets.US_ASCII)) : Optional.empty();
    }
}
