package io.actord.daemon.common;

import io.actord.cgroups.CgroupMode;
import io.actord.cgroups.HostCgroups;
import io.actord.cgroups.fs.MountInfo;
import io.actord.cgroups.fs.ProcCgroup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Facts about the host the daemon reports in its status: the cgroup mode (empty when no cgroup
 * filesystem can be read) and its capacity (physical memory from /proc/meminfo, CPUs the JVM may use).
 */
public record HostInfo(Optional<CgroupMode> cgroupMode, long memoryMbytes, int cpus) {
    public static HostInfo detect() {
        return new HostInfo(detectCgroupMode(), memTotalMbytes(Path.of("/proc/meminfo")),
                Runtime.getRuntime().availableProcessors());
    }

    /** The memory all runs may have together: {@code configured}, else the machine's. */
    public long runMemoryMbytes(Optional<Long> configured) {
        return configured.orElseGet(() -> {
            if (memoryMbytes <= 0) {
                throw new IllegalStateException("cannot read the machine's memory from /proc/meminfo; set"
                        + " --host-memory-mb");
            }
            return memoryMbytes;
        });
    }

    private static Optional<CgroupMode> detectCgroupMode() {
        try {
            return Optional.of(HostCgroups.resolve(MountInfo.read(Path.of("/proc/self/mountinfo")),
                    ProcCgroup.read(Path.of("/proc/self/cgroup"))).mode());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** {@code MemTotal:  16318012 kB} in MB; 0 if the file cannot be read. */
    static long memTotalMbytes(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
