package io.actord.daemon.image;

import java.util.Map;
import java.util.Objects;

/**
 * One member of a tar archive, after long names and PAX records are applied.
 *
 * @param name     the path as stored (not yet checked: may be absolute or contain "..")
 * @param mode     permission bits with setuid, setgid and sticky (07777)
 * @param size     the content length (regular files only; 0 otherwise)
 * @param mtime    modification time, seconds since the epoch
 * @param linkName a symbolic link's target or a hard link's source; empty for other types
 * @param xattrs   extended attributes from PAX {@code SCHILY.xattr.*} records
 */
public record TarEntry(String name, Type type, int mode, int uid, int gid, long size, long mtime, String linkName,
                       int devMajor, int devMinor, Map<String, byte[]> xattrs) {
    /** The member types actord knows; GNU sparse files and multi-volume members are refused by the reader. */
    public enum Type { FILE, DIRECTORY, SYMLINK, HARDLINK, CHAR_DEVICE, BLOCK_DEVICE, FIFO }

    public TarEntry {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        linkName = linkName == null ? "" : linkName;
        xattrs = xattrs == null ? Map.of() : Map.copyOf(xattrs);
    }

    public static TarEntry directory(String name, int mode) {
        return new TarEntry(name, Type.DIRECTORY, mode, 0, 0, 0, 0, "", 0, 0, Map.of());
    }

    public static TarEntry file(String name, int mode, long size) {
        return new TarEntry(name, Type.FILE, mode, 0, 0, size, 0, "", 0, 0, Map.of());
    }

    public static TarEntry symlink(String name, String target) {
        return new TarEntry(name, Type.SYMLINK, 0777, 0, 0, 0, 0, target, 0, 0, Map.of());
    }

    public static TarEntry hardlink(String name, String source) {
        return new TarEntry(name, Type.HARDLINK, 0644, 0, 0, 0, 0, source, 0, 0, Map.of());
    }

    public TarEntry withOwner(int newUid, int newGid) {
        return new TarEntry(name, type, mode, newUid, newGid, size, mtime, linkName, devMajor, devMinor, xattrs);
    }

    public TarEntry withMtime(long seconds) {
        return new TarEntry(name, type, mode, uid, gid, size, seconds, linkName, devMajor, devMinor, xattrs);
    }
}
