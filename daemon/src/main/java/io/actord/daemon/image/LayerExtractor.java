package io.actord.daemon.image;

import io.actord.runtime.FileTrees;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.sys.SyscallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Unpacks one layer's tar stream into an empty directory of the store's temporary area — the one place
 * archive members become files. Written for hostile archives:
 * <ul>
 *   <li>a member name that is absolute or has a ".." component is refused, and so is a hard link whose
 *       source is;</li>
 *   <li>every directory on the way to a member is looked at without following links: a symbolic link
 *       there is refused (an archive cannot plant {@code evil -> /etc} and then write {@code evil/passwd});
 *       missing ones are created. The directory is private to this import, so nothing changes between the
 *       check and the write;</li>
 *   <li>files are created with O_EXCL after whatever was at the name is removed, so the last component is
 *       never followed either;</li>
 *   <li>device nodes are never created: below {@code dev/} they are dropped (every container gets its own
 *       /dev), elsewhere they fail the import;</li>
 *   <li>only {@code user.*} and {@code security.capability} extended attributes are kept
 *       ({@code trusted.overlay.*} from an archive could steer overlayfs).</li>
 * </ul>
 * OCI whiteouts become overlayfs ones: {@code .wh.NAME} a 0:0 character device at NAME, {@code .wh..wh..opq}
 * the opaque attribute on its directory. Ownership and modes (setuid, sticky) are kept as stored; the
 * directories' own attributes are set last, deepest first, so that read-only directories and their times
 * survive the writes below them.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/main/layer.md">OCI image spec: layers</a>
 */
final class LayerExtractor {
    static final String WHITEOUT = ".wh.";
    static final String OPAQUE = ".wh..wh..opq";
    private static final Logger LOG = LoggerFactory.getLogger(LayerExtractor.class);
    private static final String CAPABILITY = "security.capability";
    /** Linux's NAME_MAX and PATH_MAX (less the NUL): longer names fail in the kernel, not here. */
    private static final int NAME_MAX = 255;
    private static final int PATH_MAX = 4095;

    private final Path root;
    private final LayerFiles files;
    private final ImportBudget budget;
    private final String layer;
    /**
     * The directory members, by their path below the root ("" for the root), whose attributes are set at the
     * end. A directory that a later member replaces (or deletes with its tree) leaves this map with everything
     * below it: what is at its path by then is another file, maybe a FIFO (which setting times on would
     * open, and wait on for ever) or a symbolic link (which chmod would follow out of the layer). Sorted, so
     * that what lies below a directory is one range of keys.
     */
    private final TreeMap<String, TarEntry> directories = new TreeMap<>();
    private long members;
    private long droppedDevices;

    /** {@code layer} names the layer in errors. */
    LayerExtractor(Path root, LayerFiles files, ImportBudget budget, String layer) {
        this.root = root;
        this.files = files;
        this.budget = budget;
        this.layer = layer;
    }

    /** Applies every member of {@code reader}; returns the number of members. */
    long extract(TarReader reader) throws IOException {
        for (Optional<TarEntry> e = reader.next(); e.isPresent(); e = reader.next()) {
            apply(e.get(), reader);
        }
        finishDirectories();
        if (droppedDevices > 0) {
            LOG.info("layer={} droppedDeviceNodes={} (below /dev, which every container gets fresh)", layer,
                    droppedDevices);
        }
        return members;
    }

    private void apply(TarEntry e, TarReader reader) throws IOException {
        budget.file();
        members++;
        List<String> parts = components(e.name(), e.name());
        if (parts.isEmpty()) {
            if (e.type() != TarEntry.Type.DIRECTORY) {
                throw refuse(e.name(), "names the layer's root but is not a directory");
            }
            directories.put("", e);
            return;
        }
        String base = parts.get(parts.size() - 1);
        if (e.type() == TarEntry.Type.CHAR_DEVICE || e.type() == TarEntry.Type.BLOCK_DEVICE) {
            if (parts.get(0).equals("dev")) {
                droppedDevices++;
                return;
            }
            throw refuse(e.name(), "is a device node; an image may not create device nodes");
        }
        Path parent = directory(parts.subList(0, parts.size() - 1), e.name(), true);
        if (base.startsWith(WHITEOUT)) {
            whiteout(parent, base, e);
            return;
        }
        Path target = parent.resolve(base);
        switch (e.type()) {
            case DIRECTORY -> {
                if (!isDirectory(target)) {
                    remove(target);
                    Files.createDirectory(target);
                }
                directories.put(key(target), e);
                return;
            }
            case FILE -> {
                budget.expect(e.size());
                remove(target);
                try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    reader.content().transferTo(out);
                }
            }
            case SYMLINK -> {
                if (e.linkName().isEmpty() || e.linkName().getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
                    throw refuse(e.name(), "is a symbolic link with an empty target or one longer than " + PATH_MAX
                            + " bytes");
                }
                remove(target);
                Files.createSymbolicLink(target, Path.of(e.linkName()));
            }
            case HARDLINK -> {
                hardlink(target, e);
                return; // the link shares the source's inode and with it its owner and mode
            }
            case FIFO -> {
                remove(target);
                files.fifo(target, e.mode());
            }
            default -> throw new IllegalStateException("unhandled member type " + e.type());
        }
        attributes(target, e);
    }

    private void whiteout(Path parent, String base, TarEntry e) throws IOException {
        if (base.equals(OPAQUE)) {
            files.markOpaque(parent);
            return;
        }
        if (base.startsWith(WHITEOUT + WHITEOUT)) {
            return; // aufs bookkeeping (.wh..wh.plnk and the like): not part of the filesystem
        }
        String hidden = base.substring(WHITEOUT.length());
        if (hidden.isEmpty() || hidden.equals(".") || hidden.equals("..")) {
            throw refuse(e.name(), "is a whiteout of no valid name");
        }
        Path target = parent.resolve(hidden);
        remove(target);
        files.whiteout(target);
    }

    private void hardlink(Path target, TarEntry e) throws IOException {
        List<String> src = components(e.linkName(), e.name());
        if (src.isEmpty()) {
            throw refuse(e.name(), "is a hard link to the layer's root");
        }
        Path source = directory(src.subList(0, src.size() - 1), e.name(), false).resolve(src.get(src.size() - 1));
        BasicFileAttributes a = lstat(source);
        if (a == null || a.isDirectory()) {
            throw refuse(e.name(), "is a hard link to '" + e.linkName() + "', which is not a file earlier in this"
                    + " layer");
        }
        if (source.equals(target)) {
            return;
        }
        remove(target);
        Files.createLink(target, source);
    }

    /**
     * Owner, then mode (chown clears setuid), extended attributes, modification time. Nothing here opens
     * the file: lchown, chmod and lsetxattr work on the path. A FIFO keeps the time it was made at, because
     * java.nio sets times through an open descriptor, and opening a FIFO waits for a writer for ever.
     */
    private void attributes(Path target, TarEntry e) throws IOException {
        files.owner(target, e.uid(), e.gid());
        if (e.type() == TarEntry.Type.SYMLINK) {
            setTime(target, e.mtime());
            return;
        }
        // The path is known not to be a symlink: it was just created in this private directory.
        Files.setAttribute(target, "unix:mode", e.mode());
        for (Map.Entry<String, byte[]> x : e.xattrs().entrySet()) {
            if (x.getKey().equals(CAPABILITY) && !validCapability(x.getValue())) {
                throw refuse(e.name(), "has a security.capability attribute that is not a v2 or v3 file"
                        + " capability (" + x.getValue().length + " bytes)");
            }
            if (x.getKey().startsWith("user.") || x.getKey().equals(CAPABILITY)) {
                try {
                    files.setXattr(target, x.getKey(), x.getValue());
                } catch (SyscallException failed) {
                    throw refuse(e.name(), "has an extended attribute " + x.getKey() + " the kernel refuses: "
                            + failed.getMessage());
                }
            }
        }
        if (e.type() != TarEntry.Type.FIFO) {
            setTime(target, e.mtime());
        }
    }

    /**
     * What setxattr(2) takes as {@code security.capability}: struct vfs_cap_data of revision 2 (20 bytes)
     * or 3 (24 bytes, with the namespace's root uid), the revision in the top byte of the little-endian
     * magic_etc word (linux/capability.h; revision 1 is no longer accepted).
     */
    static boolean validCapability(byte[] value) {
        if (value.length < 4) {
            return false;
        }
        int revision = value[3] & 0xff;
        return value.length == 20 && revision == 2 || value.length == 24 && revision == 3;
    }

    private void finishDirectories() throws IOException {
        List<Map.Entry<String, TarEntry>> deepestFirst = new ArrayList<>(directories.entrySet());
        deepestFirst.sort(Comparator.comparingLong((Map.Entry<String, TarEntry> d) -> depth(d.getKey())).reversed());
        for (Map.Entry<String, TarEntry> d : deepestFirst) {
            attributes(root.resolve(d.getKey()), d.getValue());
        }
    }

    private String key(Path p) {
        return root.relativize(p).toString();
    }

    private static long depth(String key) {
        return key.isEmpty() ? 0 : 1 + key.chars().filter(c -> c == '/').count();
    }

    /** Drops the directory at {@code p}, and every one below it, from those whose attributes are set at the end. */
    private void forget(Path p) {
        String k = key(p);
        directories.remove(k);
        directories.subMap(k + "/", k + "0").clear(); // '0' follows '/': the range is exactly "k/..."
    }

    private static void setTime(Path target, long seconds) throws IOException {
        FileTime time = FileTime.fromMillis(seconds * 1000);
        Files.getFileAttributeView(target, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                .setTimes(time, null, null);
    }

    /**
     * The directory {@code parts} names below the root, each component looked at without following links;
     * missing ones are created when {@code create}, else the member is refused.
     */
    private Path directory(List<String> parts, String member, boolean create) throws IOException {
        Path dir = root;
        for (int i = 0; i < parts.size(); i++) {
            Path next = dir.resolve(parts.get(i));
            BasicFileAttributes a = lstat(next);
            String shown = String.join("/", parts.subList(0, i + 1));
            if (a == null) {
                if (!create) {
                    throw refuse(member, "refers to '" + shown + "', which is not in this layer");
                }
                Files.createDirectory(next);
            } else if (a.isSymbolicLink()) {
                throw refuse(member, "would be written through the symbolic link '" + shown + "'");
            } else if (!a.isDirectory()) {
                throw refuse(member, "has '" + shown + "' on its path, which is not a directory");
            }
            dir = next;
        }
        return dir;
    }

    /** The components of a member or link name: "." and empty ones dropped; absolute names and ".." refused. */
    private List<String> components(String name, String member) {
        if (name.startsWith("/")) {
            throw refuse(member, "is an absolute path" + (name.equals(member) ? "" : " ('" + name + "')"));
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > PATH_MAX) {
            throw refuse(member, "has a name longer than " + PATH_MAX + " bytes");
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
                throw refuse(member, "has a path component longer than " + NAME_MAX + " bytes");
            }
            if (part.equals("..")) {
                throw refuse(member, "leaves the layer through '..'" + (name.equals(member) ? "" : " ('" + name
                        + "')"));
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return parts;
    }

    private boolean isDirectory(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        return a != null && a.isDirectory();
    }

    private void remove(Path p) throws IOException {
        BasicFileAttributes a = lstat(p);
        if (a == null) {
            return;
        }
        if (a.isDirectory()) {
            FileTrees.delete(p);
            forget(p);
        } else {
            Files.delete(p);
        }
    }

    private static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private ImageException refuse(String member, String why) {
        return new ImageException(layer + ": member '" + member + "' " + why);
    }
}
