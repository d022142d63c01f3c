package io.actord.runtime;

import io.actord.runtime.sys.Linux;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/** {@link LayerFiles} through {@link Linux}. */
final class KernelLayerFiles implements LayerFiles {
    static final int S_IFCHR = 0020000;
    static final int S_IFIFO = 0010000;
    /** Read by overlayfs in every layer, lower ones included. */
    static final String OPAQUE = "trusted.overlay.opaque";

    private final Linux linux;

    KernelLayerFiles(Linux linux) {
        this.linux = linux;
    }

    @Override
    public void owner(Path path, int uid, int gid) {
        linux.lchown(path, uid, gid);
    }

    @Override
    public void whiteout(Path path) {
        linux.mknod(path, S_IFCHR, 0);
    }

    @Override
    public void markOpaque(Path dir) {
        linux.setXattr(dir, OPAQUE, "y".getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void fifo(Path path, int mode) {
        linux.mknod(path, S_IFIFO | (mode & 07777), 0);
    }

    @Override
    public void setXattr(Path path, String name, byte[] value) {
        linux.setXattr(path, name, value);
    }

    @Override
    public Optional<byte[]> xattr(Path path, String name) {
        return linux.xattr(path, name);
    }
}
