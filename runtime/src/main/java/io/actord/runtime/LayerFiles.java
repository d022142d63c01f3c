package io.actord.runtime;

import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.sys.Linux;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What unpacking an image layer needs from the kernel beyond java.nio: ownership, the overlayfs markers
 * that stand for deletions in a lower layer, FIFOs and extended attributes. The layer store in the daemon
 * calls these on paths it has already checked to lie inside the layer; none of them follows a symbolic
 * link at the path.
 *
 * @see <a href="https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories">overlayfs:
 *      whiteouts and opaque directories</a>
 */
public interface LayerFiles {
    /** The owner of {@code path} itself (lchown). */
    void owner(Path path, int uid, int gid);

    /** An overlayfs whiteout at {@code path}: a character device 0:0, which hides that name in lower layers. */
    void whiteout(Path path);

    /** Marks {@code dir} opaque ({@code trusted.overlay.opaque=y}): lower layers' entries below it are hidden. */
    void markOpaque(Path dir);

    /** A FIFO with permission bits {@code mode}. */
    void fifo(Path path, int mode);

    /** An extended attribute on {@code path} itself. */
    void setXattr(Path path, String name, byte[] value);

    /** An extended attribute of {@code path} itself, if it has one of that name (trusted.* needs CAP_SYS_ADMIN). */
    Optional<byte[]> xattr(Path path, String name);

    /** Through glibc (root needs CAP_MKNOD for whiteouts and CAP_SYS_ADMIN for trusted.* attributes). */
    static LayerFiles kernel() {
        return kernel(new JnaLinux());
    }

    static LayerFiles kernel(Linux linux) {
        return new KernelLayerFiles(linux);
    }
}
