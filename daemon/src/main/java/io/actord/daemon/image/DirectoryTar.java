package io.actord.daemon.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
 */
public final class DirectoryTar {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final Path root;
    private final TarWriter out;
    private final Map<String, String> inodes = new HashMap<>();

    private DirectoryTar(Path root, TarWriter out) {
        this.root = root;
        this.out = out;
    }

    /** Writes {@code root} and everything below it to {@code sink}, then ends the archive. */
    public static void write(Path root, OutputStream sink) throws IOException {
        try (TarWriter tar = new TarWriter(sink)) {
            DirectoryTar d = new DirectoryTar(root, tar);
            d.directory(root, "./");
        }
    }

    private void directory(Path dir, String name) throws IOException {
        add(dir, name);
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
        int uid = (int) a.get("uid");
        int gid = (int) a.get("gid");
        long mtime = ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000;
        int format = mode & S_IFMT;
        if (format == S_IFSOCK) {
            return;
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
            try (InputStream in = Files.newInputStream(p, LinkOption.NOFOLLOW_LINKS)) {
                out.add(new TarEntry(name, TarEntry.Type.FILE, mode & 07777, uid, gid, size, mtime, "", 0, 0, Map.of()),
                        in);
            }
        }
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
