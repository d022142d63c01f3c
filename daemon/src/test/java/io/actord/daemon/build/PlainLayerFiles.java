package io.actord.daemon.build;

import io.actord.runtime.LayerFiles;

import java.nio.file.Path;
import java.util.Optional;

/** {@link LayerFiles} that needs no privileges: owners and attributes are not applied; no whiteouts or FIFOs. */
final class PlainLayerFiles implements LayerFiles {
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
        return Optional.empty();
    }
}
