package io.actord.cgroups.v1;

import io.actord.cgroups.Resources;

import java.nio.file.Path;

/** Writes one controller's share of {@link Resources} into its v1 hierarchy's directory. */
interface Controller {
    /** The controller name as in /proc/self/cgroup and mount options ("memory", "cpu", "pids"). */
    String name();

    void apply(Resources resources, Path dir);
}
