package io.actord.daemon.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a RUN step changed, less what the runtime itself put on the container's writable layer: the mount points
 * it made where the image had none ({@code /dev}, {@code /proc}, {@code /sys} as empty directories,
 * {@code /etc/resolv.conf} and {@code /etc/hosts} as empty files for an egress step's binds, and {@code /etc} if it
 * made that too). Docker leaves those out of a layer the same way.
 */
final class UpperDiff {
    private static final List<String> MOUNT_DIRECTORIES = List.of("dev", "proc", "sys");
    private static final List<String> MOUNT_FILES = List.of("etc/resolv.conf", "etc/hosts");

    private UpperDiff() {
    }

    /**
     * Removes the runtime's mount points from {@code upper} (the image below is {@code image}) and says whether
     * anything is left: an empty diff makes no layer.
     */
    static boolean prune(Path upper, LayerStack image) {
        for (String name : MOUNT_FILES) {
            Path p = upper.resolve(name);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && size(p) == 0 && image.find(name).isEmpty()) {
                delete(p);
            }
        }
        for (String name : MOUNT_DIRECTORIES) {
            removeEmptyDirectory(upper.resolve(name), name, image);
        }
        removeEmptyDirectory(upper.resolve("etc"), "etc", image);
        return !isEmpty(upper);
    }

    private static void removeEmptyDirectory(Path p, String name, LayerStack image) {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) && isEmpty(p) && image.find(name).isEmpty()) {
            delete(p);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir, e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + p, e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.delete(p);
        } catch (IOException e) {
            throw new UncheckedIOException("remove the mount point " + p + " from a step's diff", e);
        }
    }
}
