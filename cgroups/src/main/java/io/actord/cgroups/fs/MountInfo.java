package io.actord.cgroups.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The mounts of /proc/self/mountinfo (proc(5)) that matter for cgroups. */
public final class MountInfo {
    /**
     * One mount.
     *
     * @param root         the path inside the filesystem that is mounted (a cgroup path for cgroupfs)
     * @param mountPoint   where it is mounted
     * @param fsType       "cgroup", "cgroup2", "tmpfs", …
     * @param superOptions per-superblock options: a v1 cgroup mount's controllers are here
     */
    public record Mount(String root, Path mountPoint, String fsType, Set<String> superOptions) {
    }

    private MountInfo() {
    }

    public static List<Mount> read(Path mountinfo) {
        try {
            return parse(Files.readString(mountinfo));
        } catch (IOException e) {
            throw new IllegalStateException("read " + mountinfo + ": " + CgroupFiles.describe(e), e);
        }
    }

    /**
     * Parses lines like {@code 36 25 0:31 / /sys/fs/cgroup/memory rw,relatime shared:14 - cgroup cgroup rw,memory}:
     * optional fields end at the lone "-", after which come type, source and super options.
     */
    public static List<Mount> parse(String text) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(" ");
            int dash = List.of(f).indexOf("-");
            if (dash < 6 || f.length < dash + 4) {
                continue;
            }
            mounts.add(new Mount(unescape(f[3]), Path.of(unescape(f[4])), f[dash + 1],
                    Set.of(f[dash + 3].split(","))));
        }
        return mounts;
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes (\040 …). */
    private static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
