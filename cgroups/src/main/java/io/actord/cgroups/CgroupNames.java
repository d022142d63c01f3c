package io.actord.cgroups;

import java.util.regex.Pattern;

/** The names actord gives cgroup directories (its subtree, each run). */
public final class CgroupNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
    /** Kernel interface files are "<controller>.<name>"; a directory must never shadow one. */
    private static final Pattern KERNEL_FILE =
            Pattern.compile("(cgroup|memory|cpu|cpuacct|cpuset|pids|io|blkio|hugetlb|rdma|misc|freezer|devices|net_cls"
                    + "|net_prio|perf_event)\\..*|tasks|notify_on_release|release_agent");

    private CgroupNames() {
    }

    /**
     * Returns {@code name} if it is one path segment of letters, digits, '_', '.', '-' (at most 128) that
     * cannot collide with a kernel interface file.
     *
     * @throws IllegalArgumentException otherwise
     */
    public static String check(String name) {
        if (name == null || !NAME.matcher(name).matches() || KERNEL_FILE.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid cgroup name \"" + name
                    + "\": use letters, digits, '_', '.', '-' (at most 128 characters, not a kernel file name)");
        }
        return name;
    }
}
