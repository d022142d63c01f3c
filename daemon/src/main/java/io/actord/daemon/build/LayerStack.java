package io.actord.daemon.build;

import io.actord.runtime.LayerFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The files of an image as a container on it would see them, read from its unpacked layers without mounting
 * anything: a path is what the topmost layer that has it holds, unless a layer above hides it with an overlayfs
 * whiteout (a 0:0 character device), an opaque directory or a non-directory on the way. {@code COPY --from} reads
 * a stage's files this way, and the builder checks whether a working directory or a destination exists.
 * Symbolic links are never followed: they are entries like any other.
 */
final class LayerStack {
    private static final int S_IFMT = 0170000;
    private static final int S_IFCHR = 0020000;
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private final List<Path> topFirst;
    private final LayerFiles files;

    /** {@code lowestFirst}: the layers' directories as the image lists them. */
    LayerStack(List<Path> lowestFirst, LayerFiles files) {
        List<Path> reversed = new ArrayList<>(lowestFirst);
        java.util.Collections.reverse(reversed);
        this.topFirst = List.copyOf(reversed);
        this.files = files;
    }

    List<Path> topFirst() {
        return topFirst;
    }

    /** The host path of {@code relative} ('/'-separated below the root, "" for the root) in the image, if present. */
    Optional<Path> find(String relative) {
        List<String> parts = parts(relative);
        for (Path layer : topFirst) {
            Layered here = at(layer, parts);
            if (here == Layered.PRESENT) {
                return Optional.of(resolve(layer, parts));
            }
            if (here == Layered.HIDDEN) {
                return Optional.empty();
            }
        }
        return parts.isEmpty() && !topFirst.isEmpty() ? Optional.of(topFirst.get(0)) : Optional.empty();
    }

    /** Whether {@code relative} is a directory (not a link to one) in the image; the root always is. */
    boolean isDirectory(String relative) {
        return parts(relative).isEmpty() || find(relative).filter(p -> Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                .isPresent();
    }

    /** The names in the directory {@code relative}, merged over the layers, sorted. */
    List<String> children(String relative) {
        List<String> parts = parts(relative);
        Set<String> seen = new LinkedHashSet<>();
        Set<String> visible = new TreeSet<>();
        for (Path layer : topFirst) {
            Layered here = at(layer, parts);
            if (here == Layered.HIDDEN) {
                break;
            }
            if (here == Layered.ABSENT) {
                continue;
            }
            Path dir = resolve(layer, parts);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                break;
            }
            for (Path child : list(dir)) {
                String name = child.getFileName().toString();
                if (seen.add(name) && !isWhiteout(child)) {
                    visible.add(name);
                }
            }
            if (isOpaque(dir)) {
                break;
            }
        }
        return List.copyOf(visible);
    }

    private enum Layered { PRESENT, ABSENT, HIDDEN }

    /** What {@code layer} says about the path: it has it, has nothing to say, or hides it from the layers below. */
    private Layered at(Path layer, List<String> parts) {
        Path p = layer;
        for (int i = 0; i < parts.size(); i++) {
            p = p.resolve(parts.get(i));
            if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
                return Layered.ABSENT;
            }
            if (isWhiteout(p)) {
                return Layered.HIDDEN;
            }
            boolean last = i == parts.size() - 1;
            if (!last && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                return Layered.HIDDEN;
            }
            if (!last && isOpaque(p)) {
                return Files.exists(resolve(layer, parts), LinkOption.NOFOLLOW_LINKS) ? atEnd(resolve(layer, parts))
                        : Layered.HIDDEN;
            }
        }
        return Layered.PRESENT;
    }

    private Layered atEnd(Path p) {
        return isWhiteout(p) ? Layered.HIDDEN : Layered.PRESENT;
    }

    private boolean isWhiteout(Path p) {
        try {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            return ((int) a.get("mode") & S_IFMT) == S_IFCHR && (long) a.get("rdev") == 0;
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + p, e);
        }
    }

    private boolean isOpaque(Path dir) {
        return files.xattr(dir, OPAQUE_XATTR).map(v -> new String(v, StandardCharsets.US_ASCII)).filter("y"::equals)
                .isPresent();
    }

    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        } catch (IOException e) {
            throw new UncheckedIOException("list " + dir, e);
        }
    }

    private static Path resolve(Path layer, List<String> parts) {
        Path p = layer;
        for (String part : parts) {
            p = p.resolve(part);
        }
        return p;
    }

    /** The components of a path below the root, with "." dropped; ".." is refused (it has no place here). */
    static List<String> parts(String relative) {
        List<String> parts = new ArrayList<>();
        for (String part : relative.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                throw new DockerfileException("path " + relative + " leaves the image's root");
            }
            parts.add(part);
        }
        return parts;
    }
}
