package io.actord.cgroups.v2;

import io.actord.cgroups.CgroupException;
import io.actord.cgroups.fs.CgroupFiles;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Enables controllers for a directory's children. The no-internal-process rule: a non-root cgroup can hand
 * controllers to its children only while it has no processes of its own (otherwise EBUSY), so a leaf never
 * gets subtree_control and a daemon that sits in its delegated cgroup first moves into a "supervisor" leaf.
 */
final class SubtreeControl {
    static final String CONTROLLERS = "cgroup.controllers";
    static final String SUBTREE_CONTROL = "cgroup.subtree_control";
    static final String PROCS = "cgroup.procs";
    static final String SUPERVISOR = "supervisor";

    private SubtreeControl() {
    }

    /** Enables {@code controllers} in {@code dir}'s subtree_control (those already enabled are left). */
    static void enable(Path dir, List<String> controllers) {
        Set<String> available = words(CgroupFiles.read(dir.resolve(CONTROLLERS)));
        List<String> missing = controllers.stream().filter(c -> !available.contains(c)).toList();
        if (!missing.isEmpty()) {
            throw new CgroupException("controllers " + missing + " are not available in " + dir.resolve(CONTROLLERS)
                    + " (has " + available + "); the parent cgroup must delegate them (systemd: Delegate=yes)");
        }
        Set<String> enabled = words(CgroupFiles.read(dir.resolve(SUBTREE_CONTROL)));
        String wanted = controllers.stream().filter(c -> !enabled.contains(c)).map(c -> "+" + c)
                .collect(Collectors.joining(" "));
        if (!wanted.isEmpty()) {
            CgroupFiles.write(dir.resolve(SUBTREE_CONTROL), wanted);
        }
    }

    /**
     * Makes a delegated, non-root cgroup able to distribute {@code controllers}: if it holds processes and
     * the only one is this daemon, the daemon moves into {@code dir/supervisor} (writing one pid moves every
     * thread of the JVM); any other process there is an error, since moving it is not ours to do.
     */
    static void delegate(Path dir, List<String> controllers, long selfPid) {
        Set<String> enabled = words(CgroupFiles.read(dir.resolve(SUBTREE_CONTROL)));
        if (enabled.containsAll(controllers)) {
            return;
        }
        Set<Long> procs = CgroupFiles.readPids(dir.resolve(PROCS));
        if (!procs.isEmpty()) {
            Set<Long> others = new LinkedHashSet<>(procs);
            others.remove(selfPid);
            if (!others.isEmpty()) {
                throw new CgroupException("cgroup " + dir + " holds processes other than this daemon " + others
                        + ", so its controllers cannot be handed to runs; start actord in a cgroup of its own"
                        + " (systemd: Delegate=yes)");
            }
            Path supervisor = dir.resolve(SUPERVISOR);
            CgroupFiles.mkdirs(supervisor);
            CgroupFiles.write(supervisor.resolve(PROCS), Long.toString(selfPid));
        }
        enable(dir, controllers);
    }

    private static Set<String> words(String text) {
        return text.isBlank() ? Set.of() : new LinkedHashSet<>(Arrays.asList(text.trim().split("\\s+")));
    }
}
