package io.actord.cgroups;

/**
 * Where actord's cgroups go.
 *
 * @param subtree the directory created below the daemon's own cgroup in every hierarchy, holding one child
 *                per run; tests use their own so they never meet a running daemon's runs
 */
public record CgroupConfig(String subtree) {
    public static final String DEFAULT_SUBTREE = "actord";

    public CgroupConfig {
        CgroupNames.check(subtree);
    }

    public static CgroupConfig defaults() {
        return new CgroupConfig(DEFAULT_SUBTREE);
    }
}
