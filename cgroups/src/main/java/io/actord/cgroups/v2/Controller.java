package io.actord.cgroups.v2;

import io.actord.cgroups.Resources;

import java.nio.file.Path;

/** Writes one controller's share of {@link Resources} into a cgroup v2 directory. */
interface Controller {
    void apply(Resources resources, Path dir);
}
