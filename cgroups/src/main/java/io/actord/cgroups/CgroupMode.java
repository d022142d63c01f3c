package io.actord.cgroups;

/** How the host mounts cgroups. */
public enum CgroupMode {
    /** Only cgroup2, with every controller in one hierarchy. */
    UNIFIED("cgroup v2 (unified)"),
    /** v1 controller hierarchies plus a controller-less cgroup2 mount (systemd's "hybrid"). */
    HYBRID("cgroup v1 (hybrid: v1 controllers, cgroup2 for tracking and kill)"),
    /** v1 controller hierarchies only. */
    LEGACY("cgroup v1 (legacy)");

    private final String description;

    CgroupMode(String description) {
        this.description = description;
    }

    /** Human text for logs and test output, e.g. "cgroup v2 (unified)". */
    public String description() {
        return description;
    }
}
