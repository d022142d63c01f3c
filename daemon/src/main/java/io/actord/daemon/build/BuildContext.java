package io.actord.daemon.build;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A build context: a directory on the daemon's host, less what its {@code .dockerignore} excludes.
 * <p>{@link #entries()} lists what is sent, depth first with each directory's names in byte order (as Go walks): files,
 * directories and symbolic links, links kept as links and never followed; sockets, FIFOs and devices are left out.
 * An excluded directory is skipped whole unless an exception ({@code !...}) could re-include something under it; it
 * is then listed only when something below it is.
 * <p>{@link #resolve} finds a {@code COPY} source as Docker does: relative to the context root (a leading '/' is the
 * root too), symbolic links on the way followed as if the context were the root directory, so no link leads out. A
 * source whose own {@code ..} would leave the context is refused.
 */
public final class BuildContext {
    /** Linux's limit on links followed in one lookup (MAXSYMLINKS 40). */
    private static final int MAX_LINKS = 40;
    private static final String IGNORE_FILE = ".dockerignore";

    private final Path root;
    private final DockerIgnore ignore;

    public BuildContext(Path root, DockerIgnore ignore) {
        this.root = root.toAbsolutePath().normalize();
        this.ignore = ignore;
    }

    /** The context at {@code root}, with its {@code .dockerignore} when it has one. */
    public static BuildContext open(Path root) {
        return withIgnoreFile(root, root.resolve(IGNORE_FILE));
    }

    /**
     * The context at {@code root} for the Dockerfile at {@code dockerfile}: as in BuildKit, an ignore file named after
     * the Dockerfile next to it ({@code .actor/Dockerfile.dockerignore}) takes precedence over the root's
     * {@code .dockerignore}.
     */
    public static BuildContext open(Path root, Path dockerfile) {
        Path specific = dockerfile.resolveSibling(dockerfile.getFileName() + IGNORE_FILE);
        return Files.isRegularFile(specific, LinkOption.NOFOLLOW_LINKS) ? withIgnoreFile(root, specific) : open(root);
    }

    private static BuildContext withIgnoreFile(Path root, Path file) {
        try {
            return new BuildContext(root, Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)
                    ? DockerIgnore.parse(Files.readString(file, StandardCharsets.UTF_8)) : DockerIgnore.none());
        } catch (IOException e) {
            throw new UncheckedIOException("read " + file, e);
        }
    }

    public Path root() {
        return root;
    }

    public DockerIgnore ignore() {
        return ignore;
    }

    /** The entries to send, in tar order. */
    public List<ContextEntry> entries() {
        List<ContextEntry> entries = new ArrayList<>();
        walk(root, "", entries);
        return entries;
    }

    /** The entries at or below {@code relative} ('/'-separated; "." or "" for the whole context). */
    public List<ContextEntry> entriesUnder(String relative) {
        String base = DockerIgnore.clean(relative);
        return entries().stream().filter(e -> base.equals(".") || e.path().equals(base)
                || e.path().startsWith(base + "/")).toList();
    }

    /**
     * The host paths a {@code COPY} source names on {@code line}: the entries matching it when it has wildcards
     * ({@code package*.json}; Go's {@code filepath.Match}, '*' within one path element), else {@link #resolve}'s path.
     *
     * @throws DockerfileException naming the line when nothing matches or the source is refused
     */
    public List<Path> sources(String source, int line) {
        try {
            if (source.chars().noneMatch(c -> c == '*' || c == '?' || c == '[')) {
                return List.of(resolve(source));
            }
            String pattern = DockerIgnore.clean(source.startsWith("/") ? source.substring(1) : source);
            IgnorePattern glob = IgnorePattern.glob(pattern);
            List<Path> matched = entries().stream().filter(e -> glob.matches(e.path())).map(ContextEntry::file)
                    .toList();
            if (matched.isEmpty()) {
                throw new DockerfileException("no source files were specified: nothing in the build context matches "
                        + source);
            }
            return matched;
        } catch (DockerfileException e) {
            throw DockerfileException.at(line, e.getMessage());
        }
    }

    /**
     * The host path of a {@code COPY} source, inside the context; it must exist and not be excluded.
     *
     * @throws DockerfileException when it leaves the context, does not exist or is excluded
     */
    public Path resolve(String source) {
        String relative = DockerIgnore.clean(source.startsWith("/") ? "." + source : source);
        if (relative.equals("..") || relative.startsWith("../")) {
            throw new DockerfileException("forbidden path outside the build context: " + source);
        }
        Path resolved = followInScope(relative.equals(".") ? List.of() : List.of(relative.split("/")), 0);
        String inContext = root.relativize(resolved).toString();
        if (!Files.exists(resolved, LinkOption.NOFOLLOW_LINKS)) {
            throw new DockerfileException("file not found in build context: " + source);
        }
        if (!inContext.isEmpty() && ignore.excludes(inContext) && entriesUnder(inContext).isEmpty()) {
            throw new DockerfileException("file not found in build context or excluded by .dockerignore: " + source);
        }
        return resolved;
    }

    /** Walks {@code names} from the root, following links as if the root were '/' ({@code FollowSymlinkInScope}). */
    private Path followInScope(List<String> names, int linksSoFar) {
        Path current = root;
        int links = linksSoFar;
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name.equals("..")) {
                current = current.equals(root) ? root : current.getParent();
                continue;
            }
            Path next = current.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                current = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new DockerfileException("too many levels of symbolic links in build context: "
                        + root.relativize(next));
            }
            String target = readLink(next);
            String base = target.startsWith("/") ? "" : root.relativize(current).toString();
            List<String> rest = new ArrayList<>(List.of((base + "/" + target).split("/")));
            rest.removeIf(s -> s.isEmpty() || s.equals("."));
            rest.addAll(names.subList(i + 1, names.size()));
            return followInScope(rest, links);
        }
        return current;
    }

    private void walk(Path dir, String prefix, List<ContextEntry> out) {
        List<Path> children = new ArrayList<>();
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
            stream.forEach(children::add);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("list build context directory " + dir, e);
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path child : children) {
            String path = prefix + child.getFileName();
            BasicFileAttributes attrs = attributes(child);
            boolean excluded = ignore.excludes(path);
            if (attrs.isSymbolicLink()) {
                if (!excluded) {
                    out.add(new ContextEntry(path, child, ContextEntry.Type.SYMLINK, Optional.of(readLink(child))));
                }
            } else if (attrs.isDirectory()) {
                if (!excluded) {
                    out.add(new ContextEntry(path, child, ContextEntry.Type.DIRECTORY, Optional.empty()));
                    walk(child, path + "/", out);
                } else if (ignore.hasExceptions()) {
                    List<ContextEntry> below = new ArrayList<>();
                    walk(child, path + "/", below);
                    if (!below.isEmpty()) {
                        out.add(new ContextEntry(path, child, ContextEntry.Type.DIRECTORY, Optional.empty()));
                        out.addAll(below);
                    }
                }
            } else if (attrs.isRegularFile() && !excluded) {
                out.add(new ContextEntry(path, child, ContextEntry.Type.FILE, Optional.empty()));
            }
        }
    }

    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UncheckedIOException("stat build context entry " + path, e);
        }
    }

    private static String readLink(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            throw new UncheckedIOException("read link " + link, e);
        }
    }
}
