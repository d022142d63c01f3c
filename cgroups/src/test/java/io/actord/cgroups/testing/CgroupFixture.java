package io.actord.cgroups.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Directories shaped like cgroupfs, with the interface files a fresh cgroup has (the kernel creates them on
 * mkdir; a test creates them beforehand).
 */
public final class CgroupFixture {
    private CgroupFixture() {
    }

    /** A cgroup v2 directory with the cpu, memory and pids controllers available. */
    public static Path v2(Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("cgroup.controllers", "cpuset cpu io memory pids");
        files.put("cgroup.subtree_control", "");
        files.put("cgroup.procs", "");
        files.put("cgroup.events", "populated 0\nfrozen 0");
        files.put("cgroup.kill", "");
        files.put("memory.max", "max");
        files.put("memory.swap.max", "max");
        files.put("memory.current", "0");
        files.put("memory.peak", "0");
        files.put("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\noom_group_kill 0");
        files.put("cpu.max", "max 100000");
        files.put("cpu.stat", "usage_usec 0\nuser_usec 0\nsystem_usec 0\nnr_periods 0\nnr_throttled 0\nthrottled_usec 0");
        files.put("pids.max", "max");
        files.put("pids.current", "0");
        files.put("pids.events", "max 0");
        return write(dir, files);
    }

    /** A v1 directory of one controller hierarchy ("memory", "cpu", "cpuacct", "pids"). */
    public static Path v1(Path dir, String controller) {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("cgroup.procs", "");
        files.put("tasks", "");
        switch (controller) {
            case "memory" -> {
                files.put("memory.limit_in_bytes", "9223372036854771712");
                files.put("memory.memsw.limit_in_bytes", "9223372036854771712");
                files.put("memory.swappiness", "60");
                files.put("memory.usage_in_bytes", "0");
                files.put("memory.max_usage_in_bytes", "0");
                files.put("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0");
            }
            case "cpu" -> {
                files.put("cpu.cfs_period_us", "100000");
                files.put("cpu.cfs_quota_us", "-1");
                files.put("cpu.stat", "nr_periods 0\nnr_throttled 0\nthrottled_time 0");
            }
            case "cpuacct" -> files.put("cpuacct.usage", "0");
            case "pids" -> {
                files.put("pids.max", "max");
                files.put("pids.current", "0");
                files.put("pids.events", "max 0");
            }
            default -> throw new IllegalArgumentException(controller);
        }
        return write(dir, files);
    }

    /** A directory of the controller-less cgroup2 hierarchy of a hybrid host. */
    public static Path unifiedTracking(Path dir) {
        return write(dir, Map.of("cgroup.procs", "", "cgroup.events", "populated 0\nfrozen 0", "cgroup.kill", ""));
    }

    public static Path set(Path file, String content) {
        try {
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path dir, Map<String, String> files) {
        try {
            Files.createDirectories(dir);
            for (var e : files.entrySet()) {
                Files.writeString(dir.resolve(e.getKey()), e.getValue() + (e.getValue().isEmpty() ? "" : "\n"));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
