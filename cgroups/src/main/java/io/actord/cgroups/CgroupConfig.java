package io.actord.cgroups;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where actord's cgroups go.
 *
 * @param subtree the directory created in every hierarchy, holding one child per run; tests use their own so
 *                they never meet a running daemon's runs
 * @param parent  the cgroup the subtree goes into, as a path from the hierarchy's root ({@code /proc/self/cgroup}
 *                shows them so), when it is not this process's own; it must exist and is never created. Under
 *                systemd it is the cgroup of the unit that holds the runs (systemd/README.md says why the
 *                daemon's own unit cannot)
 */
public record CgroupConfig(String subtree, Optional<String> parent) {
    public static final String DEFAULT_SUBTREE = "actord";
    private static final Pattern PATH = Pattern.compile("/|(/[^/]+)+");

    public CgroupConfig {
        CgroupNames.check(subtree);
        parent.ifPresent(p -> {
            if (!PATH.matcher(p).matches() || p.contains("/../") || p.endsWith("/..") || p.contains("/./")
                    || p.endsWith("/.")) {
                throw new IllegalArgumentException("invalid cgroup parent \"" + p
                        + "\": use an absolute cgroup path such as /system.slice/actord-runs.service");
            }
        });
    }

    /** Below this process's own cgroup. */
    public CgroupConfig(String subtree) {
        this(subtree, Optional.empty());
    }

    public static CgroupConfig defaults() {
        return new CgroupConfig(DEFAULT_SUBTREE);
    }
}
