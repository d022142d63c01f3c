package io.actord.runtime.rootfs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Resolves a container path against a rootfs on the host as the container will see it: symlinks are
 * followed relative to the rootfs and ".." stops at its top, so an image's {@code /dev -> /etc} or
 * {@code ../../..} can never make the runtime create or mount something on the host's own paths.
 * Race-free here because nothing runs in the rootfs while it is being built.
 */
public final class ScopedPath {
    /** The kernel's own limit (ELOOP after 40 links). */
    static final int MAX_SYMLINKS = 40;

    private ScopedPath() {
    }

    /** The host path of {@code containerPath} inside {@code root}; missing components are kept as named. */
    public static Path resolve(Path root, String containerPath) {
        Deque<String> pending = new ArrayDeque<>(components(containerPath));
        List<String> resolved = new ArrayList<>();
        int links = 0;
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            if (name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                if (!resolved.isEmpty()) {
                    resolved.remove(resolved.size() - 1);
                }
                continue;
            }
            Path candidate = join(root, resolved).resolve(name);
            if (!Files.isSymbolicLink(candidate)) {
                resolved.add(name);
                continue;
            }
            if (++links > MAX_SYMLINKS) {
                throw new IllegalArgumentException("resolve " + containerPath + " in " + root + ": more than "
                        + MAX_SYMLINKS + " symbolic links");
            }
            String target = readLink(candidate);
            if (target.startsWith("/")) {
                resolved.clear();
            }
            List<String> parts = components(target);
            for (int i = parts.size() - 1; i >= 0; i--) {
                pending.addFirst(parts.get(i));
            }
        }
        return join(root, resolved);
    }

    /** Resolves {@code containerPath} and creates it as a directory (and its parents) if it is missing. */
    public static Path directory(Path root, String containerPath) {
        Path dir = resolve(root, containerPath);
        try {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(dir);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("create " + containerPath + " in " + root, e);
        }
    }

    /** Resolves {@code containerPath} and creates an empty file there (parents too) if nothing is there. */
    public static Path file(Path root, String containerPath) {
        Path file = resolve(root, containerPath);
        try {
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectories(file.getParent());
                Files.createFile(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("create " + containerPath + " in " + root, e);
        }
    }

    private static List<String> components(String path) {
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                parts.add(part);
            }
        }
        return parts;
    }

    private static Path join(Path root, List<String> names) {
        Path p = root;
        for (String name : names) {
            p = p.resolve(name);
        }
        return p;
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("read symbolic link " + link, e);
        }
    }
}
