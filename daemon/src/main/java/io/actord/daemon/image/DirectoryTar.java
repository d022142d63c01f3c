package io.actord.daemon.image;

import io.actord.runtime.LayerFiles;
import io.actord.runtime.userns.IdRange;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a directory tree as a tar stream, so that a rootfs directory becomes a layer through the same
 * extractor as every archive. Deterministic (names sorted, times and owners as on disk), so importing
 * the same unchanged tree twice yields the same layer. Hard links are kept; sockets are skipped (a tar
 * cannot hold them); extended attributes are not carried.
 *
 * <p>{@link #writeUpper} writes a container overlay's upper directory (what a workload changed) as an OCI
 * layer instead: overlayfs's whiteouts (0:0 character devices) become {@code .wh.NAME} members, an opaque
 * directory gets {@code .wh..wh..opq}, and file capabilities are kept, as Docker's overlay2 diff does.
 */
public final class DirectoryTar {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    /** Set by overlayfs's redirect_dir and metacopy features, whose upper directories are no plain diff. */
    private static final List<String> UNSUPPORTED_XATTRS = List.of("trusted.overlay.redirect",
            "trusted.overlay.metacopy");
    private static final String CAPABILITY_XATTR = "security.capability";

    private final TarWriter out;
    /** Present when writing an overlay's upper directory. */
    private final LayerFiles upper;
    /** The host id of the container's id 0 on an upper directory's files (its user namespace's), else 0. */
    private final long idOffset;
    private final Map<String, String> inodes = new HashMap<>();

    private DirectoryTar(TarWriter out, LayerFiles upper, long idOffset) {
        this.out = out;
        this.upper = upper;
        this.idOffset = idOffset;
    }

    /** Writes {@code root} and everything below it to {@code sink}, then ends the archive. */
    public static void write(Path root, OutputStream sink) throws IOException {
        try (TarWriter tar = new TarWriter(sink)) {
            new DirectoryTar(tar, null, 0).directory(root, "./");
        }
    }

    /**
     * Writes what is below the overlay upper directory {@code upperDir} as an OCI layer to {@code sink}
     * ({@code files} reads the overlay's extended attributes), then ends the archive. The directory itself is
     * left out: it is no file of the image.
     *
     * @throws ImageException when the upper directory uses overlayfs's redirect_dir or metacopy
     */
    public static void writeUpper(Path upperDir, LayerFiles files, OutputStream sink) throws IOException {
        writeUpper(upperDir, files, 0, sink);
    }

    /**
     * As {@link #writeUpper(Path, LayerFiles, OutputStream)} for the writable layer of a container with a user
     * namespace of its own, whose files are owned on the host by {@code idOffset} + the ids the container saw:
     * the layer gets the container's ids (those outside its range are kept as they are).
     */
    public static void writeUpper(Path upperDir, LayerFiles files, long idOffset, OutputStream sink)
            throws IOException {
        try (TarWriter tar = new TarWriter(sink)) {
            new DirectoryTar(tar, files, idOffset).children(upperDir, "./");
        }
    }

    private void directory(Path dir, String name) throws IOException {
        add(dir, name);
        if (upper != null && upper.xattr(dir, OPAQUE_XATTR).map(v -> new String(v, StandardCharsets.US_ASCII))
                .filter("y"::equals).isPresent()) {
            out.add(new TarEntry(name + LayerExtractor.OPAQUE, TarEntry.Type.FILE, 0, 0, 0, 0, 0, "", 0, 0, Map.of()));
        }
        children(dir, name);
    }

    private void children(Path dir, String name) throws IOException {
        List<Path> children;
        try (Stream<Path> list = Files.list(dir)) {
            children = list.sorted().toList();
        }
        for (Path child : children) {
            String childName = (name.equals("./") ? "" : name) + child.getFileName();
            if (Files.isDirectory(child, LinkOption.NOFOLLOW_LINKS)) {
                directory(child, childName + "/");
            } else {
                add(child, childName);
            }
        }
    }

    private void add(Path p, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,size,lastModifiedTime,ino,dev,nlink,rdev",
                LinkOption.NOFOLLOW_LINKS);
        int mode = (int) a.get("mode");
        int uid = shift((int) a.get("uid"));
        int gid = shift((int) a.get("gid"));
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        int format = mode & S_IFMT;
        if (format == S_IFSOCK) {
            return;
        }
        if (upper != null) {
            for (String x : UNSUPPORTED_XATTRS) {
                if (upper.xattr(p, x).isPresent()) {
                    throw new ImageException(name + " carries " + x + ": overlayfs's redirect_dir and metacopy"
                            + " are not supported in a layer diff (turn them off for the overlay module)");
                }
            }
            if (format == S_IFCHR && (long) a.get("rdev") == 0) {
                int slash = name.lastIndexOf('/') + 1;
                out.add(new TarEntry(name.substring(0, slash) + LayerExtractor.WHITEOUT + name.substring(slash),
                        TarEntry.Type.FILE, 0, 0, 0, 0, mtime, "", 0, 0, Map.of()));
                return;
            }
        }
        TarEntry base = new TarEntry(name, TarEntry.Type.FILE, mode & 07777, uid, gid, 0, mtime, "", 0, 0, Map.of());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            out.add(retype(base, TarEntry.Type.DIRECTORY, ""));
        } else if (Files.isSymbolicLink(p)) {
            out.add(retype(base, TarEntry.Type.SYMLINK, Files.readSymbolicLink(p).toString()));
        } else if (format == S_IFCHR || format == S_IFBLK || format == S_IFIFO) {
            long rdev = (long) a.get("rdev");
            TarEntry.Type type = format == S_IFCHR ? TarEntry.Type.CHAR_DEVICE : format == S_IFBLK
                    ? TarEntry.Type.BLOCK_DEVICE : TarEntry.Type.FIFO;
            out.add(new TarEntry(name, type, mode & 07777, uid, gid, 0, mtime, "", major(rdev), minor(rdev), Map.of()));
        } else {
            if ((int) a.get("nlink") > 1) {
                String key = a.get("dev") + ":" + a.get("ino");
                String first = inodes.putIfAbsent(key, name);
                if (first != null) {
                    out.add(retype(base, TarEntry.Type.HARDLINK, first));
                    return;
                }
            }
            long size = (long) a.get("size");
            Map<String, byte[]> xattrs = upper == null ? Map.of() : upper.xattr(p, CAPABILITY_XATTR)
                    .map(v -> Map.of(CAPABILITY_XATTR, v)).orElse(Map.of());
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new TarEntry(name, TarEntry.Type.FILE, mode & 07777, uid, gid, size, mtime, "", 0, 0, xattrs),
                        in);
            }
        }
    }

    private int shift(int hostId) {
        long id = Integer.toUnsignedLong(hostId) - idOffset;
        return idOffset > 0 && id >= 0 && id < IdRange.CONTAINER_IDS ? (int) id : hostId;
    }

    private static TarEntry retype(TarEntry e, TarEntry.Type type, String link) {
        return new TarEntry(e.name(), type, e.mode(), e.uid(), e.gid(), 0, e.mtime(), link, 0, 0, Map.of());
    }

    /** glibc's gnu_dev_major/minor. */
    private static int major(long rdev) {
        return (int) (((rdev >>> 32) & 0xfffff000L) | ((rdev >>> 8) & 0xfffL));
    }

    private static int minor(long rdev) {
        return (int) (((rdev >>> 12) & 0xffffff00L) | (rdev & 0xffL));
    }
}
