package io.actord.daemon.build;

import io.actord.daemon.build.ResolvedInstruction.Copy;
import io.actord.daemon.build.SourceTree.Source;
import io.actord.daemon.image.BuildUser;
import io.actord.daemon.image.Compression;
import io.actord.daemon.image.TarEntry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Docker's destination rules for {@code COPY} and {@code ADD}, turned into a {@link CopyPlan}: a directory source
 * copies what it holds, not itself; a file goes to the destination, or into it when the destination ends with '/'
 * or is a directory in the image; several sources need a directory destination ending with '/'; missing parent
 * directories are created (0755, owned by the --chown owner or root). Copied files keep their modes and times and
 * belong to root unless --chown says otherwise; --chmod sets the mode of every copied file and directory. An
 * {@code ADD} of a local tar archive extracts it into the destination directory. Special files are skipped.
 */
final class CopyPlanner {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int DIRECTORY_MODE = 0755;

    private final Copy copy;
    private final LayerStack image;
    private final Optional<BuildUser> owner;
    private final Optional<Integer> chmod;
    private final Compression compression;
    private final List<CopyPlan.Item> items = new ArrayList<>();
    private final Set<String> directories = new HashSet<>();

    /** {@code image}: the stage's image before the step; {@code owner}: --chown resolved in it. */
    CopyPlanner(Copy copy, LayerStack image, Optional<BuildUser> owner, Compression compression) {
        this.copy = copy;
        this.image = image;
        this.owner = owner;
        this.chmod = copy.chmod().map(m -> Integer.parseInt(m, 8));
        this.compression = compression;
    }

    CopyPlan plan(SourceTree tree) {
        List<Source> sources = new ArrayList<>();
        for (String source : copy.sources()) {
            sources.addAll(tree.match(source, copy.line()));
        }
        String dest = copy.destination();
        String target = relative(dest);
        if (sources.size() > 1 && !dest.endsWith("/")) {
            throw DockerfileException.at(copy.line(), keyword() + " with more than one source file needs a"
                    + " destination directory ending with /: " + dest);
        }
        boolean intoDirectory = dest.endsWith("/") || image.isDirectory(target);
        for (Source s : sources) {
            Map<String, Object> a = attributes(s.file());
            if ((boolean) a.get("isDirectory")) {
                directory(target, s.file(), true);
                for (Source child : tree.below(s)) {
                    String suffix = s.path().isEmpty() ? child.path() : child.path().substring(s.path().length() + 1);
                    member(join(target, suffix), child.file());
                }
            } else if (copy.add() && isRegular(a) && CopyPlan.isArchive(s.file(), compression)) {
                parents(target + "/x");
                directory(target, s.file(), false);
                items.add(new CopyPlan.Archive(s.file(), target, owner));
            } else {
                member(intoDirectory ? join(target, name(s)) : target, s.file());
            }
        }
        return new CopyPlan(items, compression);
    }

    private void member(String path, Path file) {
        if (path.isEmpty()) {
            return; // the root itself: never replaced
        }
        parents(path);
        Map<String, Object> a = attributes(file);
        int mode = (int) a.get("mode") & 07777;
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        int uid = owner.map(BuildUser::uid).orElse(0);
        int gid = owner.map(BuildUser::gid).orElse(0);
        TarEntry entry;
        Optional<Path> content = Optional.empty();
        if ((boolean) a.get("isDirectory")) {
            directories.add(path);
            entry = new TarEntry(path + "/", TarEntry.Type.DIRECTORY, chmod.orElse(mode), uid, gid, 0, mtime, "", 0,
                    0, Map.of());
        } else if ((boolean) a.get("isSymbolicLink")) {
            entry = new TarEntry(path, TarEntry.Type.SYMLINK, 0777, uid, gid, 0, mtime, readLink(file), 0, 0,
                    Map.of());
        } else if (isRegular(a)) {
            entry = new TarEntry(path, TarEntry.Type.FILE, chmod.orElse(mode), uid, gid, (long) a.get("size"), mtime,
                    "", 0, 0, Map.of());
            content = (long) a.get("size") > 0 ? Optional.of(file) : Optional.empty();
        } else {
            return;
        }
        items.add(new CopyPlan.Member(entry, content));
    }

    /** The directory {@code path} itself, made when the image lacks it (with {@code like}'s mode when asked). */
    private void directory(String path, Path like, boolean copyMode) {
        if (path.isEmpty() || directories.contains(path) || image.isDirectory(path)) {
            return;
        }
        parents(path);
        directories.add(path);
        Map<String, Object> a = attributes(like);
        int mode = copyMode ? (int) a.get("mode") & 07777 : DIRECTORY_MODE;
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        items.add(new CopyPlan.Member(new TarEntry(path + "/", TarEntry.Type.DIRECTORY, chmod.orElse(mode),
                owner.map(BuildUser::uid).orElse(0), owner.map(BuildUser::gid).orElse(0), 0, mtime, "", 0, 0,
                Map.of()), Optional.empty()));
    }

    /** The directories above {@code path} the image lacks. */
    private void parents(String path) {
        List<String> parts = LayerStack.parts(path);
        String dir = "";
        for (int i = 0; i < parts.size() - 1; i++) {
            dir = join(dir, parts.get(i));
            if (directories.contains(dir) || image.isDirectory(dir)) {
                continue;
            }
            directories.add(dir);
            items.add(new CopyPlan.Member(new TarEntry(dir + "/", TarEntry.Type.DIRECTORY, DIRECTORY_MODE,
                    owner.map(BuildUser::uid).orElse(0), owner.map(BuildUser::gid).orElse(0), 0, 0, "", 0, 0,
                    Map.of()), Optional.empty()));
        }
    }

    private String keyword() {
        return copy.add() ? "ADD" : "COPY";
    }

    private static String name(Source s) {
        int slash = s.path().lastIndexOf('/');
        return slash < 0 ? s.path() : s.path().substring(slash + 1);
    }

    /** An absolute destination as a path below the root, without a trailing '/'. */
    static String relative(String absolute) {
        return String.join("/", LayerStack.parts(absolute));
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir + "/" + name;
    }

    private static boolean isRegular(Map<String, Object> a) {
        return ((int) a.get("mode") & S_IFMT) == S_IFREG;
    }

    private static Map<String, Object> attributes(Path file) {
        try {
            Map<String, Object> a = new java.util.HashMap<>(Files.readAttributes(file,
                    "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS));
            a.put("isDirectory", Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS));
            a.put("isSymbolicLink", Files.isSymbolicLink(file));
            return a;
        } catch (IOException e) {
            throw new UncheckedIOException("stat " + file, e);
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
