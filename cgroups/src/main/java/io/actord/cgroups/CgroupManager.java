package io.actord.cgroups;

import java.util.List;
import java.util.Optional;

/**
 * The host's cgroups as actord uses them: one subtree below the daemon's own cgroup, one child per run.
 * Get it from {@link Cgroups#detect()}.
 */
public interface CgroupManager {
    CgroupMode mode();

    /** For the log and test output, e.g. "cgroup v2 (unified) at /sys/fs/cgroup/actord". */
    String description();

    /**
     * Creates the run's cgroup and writes its limits. An empty leftover of the same name (from a crash) is
     * taken over; one that still holds processes is an error.
     */
    Cgroup create(String name, Resources resources);

    /** Opens an existing run cgroup (after a daemon restart). */
    Optional<Cgroup> find(String name);

    /** The names of the run cgroups that exist now. */
    List<String> names();

    /** Removes the subtree itself when no run cgroup is left in it (tests, uninstall). */
    void release();
}
