package io.actord.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;

/** A container's scratch directory on the host: created empty and private, removed with all it holds. */
final class RunDirectory {
    /** Written by actord-init when the entrypoint ends ("exited N" / "signaled S"). */
    static final String EXIT_STATUS = "exit-status";
    /** The overlay's mount point (mounted only inside the container's mount namespace). */
    static final String ROOTFS = "rootfs";
    static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rwx------");

    private RunDirectory() {
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

    /**
     * Deletes {@code dir} recursively without following links and without entering another filesystem:
     * one would be a mount that is still there, whose contents are not ours to delete.
     */
    static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Object device = Files.getAttribute(dir, "unix:dev", LinkOption.NOFOLLOW_LINKS);
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                if (!device.equals(Files.getAttribute(d, "unix:dev", LinkOption.NOFOLLOW_LINKS))) {
                    throw new IOException("delete " + d + ": another filesystem is mounted there");
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
