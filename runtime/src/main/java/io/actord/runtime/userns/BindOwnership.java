package io.actord.runtime.userns;

import io.actord.runtime.sys.Linux;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.OptionalLong;

/**
 * Gives a writable bind mount's directory to a container's ids (podman's {@code :U} volume option): a bind
 * is not idmapped, so what the container writes there is owned by its host ids, and what it finds there must
 * be too, or its root (which holds no capability over an id outside its namespace) could not write to it. Each
 * entry's owner and group move to the same container id in {@code range} ({@link IdRangePool#containerId}):
 * a directory that a run's earlier container (another range) or the daemon (root) filled is the run's again.
 * Any other host id stays as it is.
 */
public final class BindOwnership {
    private BindOwnership() {
    }

    public static void shift(Linux linux, Path dir, IdRange range, IdRangePool pool) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    shiftOne(linux, d, range, pool);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    shiftOne(linux, file, range, pool);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("give " + dir + " to the ids " + range, e);
        }
    }

    private static void shiftOne(Linux linux, Path path, IdRange range, IdRangePool pool) throws IOException {
        long uid = ((Number) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS)).longValue();
        long gid = ((Number) Files.getAttribute(path, "unix:gid", LinkOption.NOFOLLOW_LINKS)).longValue();
        OptionalLong innerUid = pool.containerId(uid);
        OptionalLong innerGid = pool.containerId(gid);
        long newUid = innerUid.isPresent() ? range.hostStart() + innerUid.getAsLong() : uid;
        long newGid = innerGid.isPresent() ? range.hostStart() + innerGid.getAsLong() : gid;
        if (newUid != uid || newGid != gid) {
            linux.lchown(path, (int) newUid, (int) newGid);
        }
    }
}
