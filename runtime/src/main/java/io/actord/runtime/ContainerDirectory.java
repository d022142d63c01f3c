package io.actord.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** A container's scratch directory on the host: created empty and private, removed with all it holds. */
final class ContainerDirectory {
    /** Written by actord-init when the entrypoint ends ("exited N" / "signaled S"). */
    static final String EXIT_STATUS = "exit-status";
    /** The exchange directory's path inside the container, for a daemon that re-attaches. */
    static final String EXCHANGE_PATH = "exchange-path";
    /** The overlay's mount point (mounted only inside the container's mount namespace). */
    static final String ROOTFS = "rootfs";
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private ContainerDirectory() {
    }

    /** Creates {@code dir} mode 0700; an existing one must be empty (a leftover is cleaned up first). */
    static Path create(Path dir) {
        try {
            if (Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new ContainerException("run directory " + dir + " is not empty (clean up the container"
                                + " that used it first)");
                    }
                }
            } else {
                Files.createDirectories(dir.getParent());
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE));
            }
            Files.createDirectory(dir.resolve(ROOTFS));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("create run directory " + dir, e);
        }
    }

    /** Writes a small file of the runtime's own into the directory. */
    static void write(Path dir, String name, String content) {
        try {
            Files.writeString(dir.resolve(name), content);
        } catch (IOException e) {
            throw new UncheckedIOException("write " + dir.resolve(name), e);
        }
    }
}
