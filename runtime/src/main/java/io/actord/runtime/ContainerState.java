package io.actord.runtime;

import java.nio.file.Path;

/**
 * What identifies a container across daemon restarts.
 *
 * @param id             the container id (its cgroup name)
 * @param pid            actord-init's host pid
 * @param pidStartTicks  field 22 of /proc/PID/stat, so a reused pid is never mistaken for init
 * @param runDir         the scratch directory with init's exit-status file and the disk image
 */
public record ContainerState(String id, long pid, long pidStartTicks, Path runDir) {
}
