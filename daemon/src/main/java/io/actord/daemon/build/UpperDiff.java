package io.actord.daemon.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a RUN step changed, less what the runtime itself put on the container's writable layer: the mount points
 * it made where the image had none ({@code /dev}, {@code /proc}, {@code /sys} as empty directories,
 * {@code /etc/resolv.conf} and {@code /etc/hosts} as empty files for an egress step's binds, and {@code /etc} if it
 * made or copied it up only for them: empty, with the image's own mode and owner). Docker leaves those out of a
 * layer the same way.
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
    static boolean prune(Path upper, LayerStack image, long idOffset) {
        for (String name : MOUNT_FILES) {
            Path p = upper.resolve(name);
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && size(p) == 0 && image.find(name).isEmpty()) {
                delete(p);
            }
        }
        for (String name : MOUNT_DIRECTORIES) {
            removeEmptyDirectory(upper.resolve(name), name, image);
        }
        Path etc = upper.resolve("etc");
        Optional<Path> imageEtc = image.find("etc");
        if (Files.isDirectory(etc, LinkOption.NOFOLLOW_LINKS) && isEmpty(etc)
                && (imageEtc.isEmpty() || sameModeAndOwner(etc, idOffset, imageEtc.get()))) {
            delete(etc);
        }
        return !isEmpty(upper);
    }

    private static boolean sameModeAndOwner(Path upper, long idOffset, Path image) {
        try {
            Map<String, Object> u = Files.readAttributes(upper, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            Map<String, Object> i = Files.readAttributes(image, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            return u.get("mode").equals(i.get("mode")) && (int) u.get("uid") - idOffset == (int) i.get("uid")
                    && (int) u.get("gid") - idOffset == (int) i.get("gid");
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + upper, e);
        }
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
