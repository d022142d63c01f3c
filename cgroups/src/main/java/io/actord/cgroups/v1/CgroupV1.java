package io.actord.cgroups.v1;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;
import io.actord.cgroups.fs.Tasks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A run's directories in the v1 hierarchies, and in the cgroup2 hierarchy of a hybrid host. */
final class CgroupV1 implements Cgroup {
    static final String PROCS = "cgroup.procs";
    static final String UNIFIED_EVENTS = "cgroup.events";
    /** Since Linux 5.14, in the cgroup2 hierarchy even when it has no controllers. */
    static final String UNIFIED_KILL = "cgroup.kill";
    static final String MEMORY_USAGE = "memory.usage_in_bytes";
    static final String MEMORY_MAX_USAGE = "memory.max_usage_in_bytes";
    /** "oom_kill N" since Linux 4.13. */
    static final String MEMORY_OOM_CONTROL = "memory.oom_control";
    /** Nanoseconds. */
    static final String CPUACCT_USAGE = "cpuacct.usage";
    static final String CPU_STAT = "cpu.stat";
    static final String PIDS_CURRENT = "pids.current";
    static final String PIDS_EVENTS = "pids.events";
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private static final List<Controller> CONTROLLERS =
            List.of(new MemoryController(), new CpuController(), new PidsController());

    private final String name;
    private final Map<String, Path> dirs;
    private final Optional<Path> unified;

    CgroupV1(String name, Map<String, Path> dirs, Optional<Path> unified) {
        this.name = name;
        this.dirs = dirs;
        this.unified = unified;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path path() {
        return dirs.get("memory");
    }

    /** Each hierarchy's directory once (cpu and cpuacct may share one), the cgroup2 one last. */
    List<Path> allDirs() {
        List<Path> all = new ArrayList<>(new LinkedHashSet<>(dirs.values()));
        unified.ifPresent(all::add);
        return all;
    }

    @Override
    public void addProcess(long pid) {
        for (Path dir : allDirs()) {
            CgroupFiles.write(dir.resolve(PROCS), Long.toString(pid));
        }
    }

    @Override
    public void apply(Resources resources) {
        CONTROLLERS.forEach(c -> c.apply(resources, dirs.get(c.name())));
    }

    @Override
    public boolean populated() {
        if (unified.isPresent()) {
            return CgroupFiles.readKey(unified.get().resolve(UNIFIED_EVENTS), "populated", 0) != 0;
        }
        return !pids().isEmpty();
    }

    @Override
    public Set<Long> pids() {
        return CgroupFiles.readPids(path().resolve(PROCS));
    }

    @Override
    public CgroupStats stats() {
        Path memory = dirs.get("memory");
        Path cpuacct = dirs.get(CgroupV1Manager.CPUACCT);
        long cpuMicros = cpuacct == null ? 0 : CgroupFiles.readLong(cpuacct.resolve(CPUACCT_USAGE)) / 1000;
        return new CgroupStats(
                CgroupFiles.readLong(memory.resolve(MEMORY_USAGE)),
                CgroupFiles.readLong(memory.resolve(MEMORY_MAX_USAGE)),
                cpuMicros,
                CgroupFiles.readKey(dirs.get("cpu").resolve(CPU_STAT), "nr_throttled", 0),
                CgroupFiles.readKey(memory.resolve(MEMORY_OOM_CONTROL), "oom_kill", 0),
                CgroupFiles.readLong(dirs.get("pids").resolve(PIDS_CURRENT)),
                CgroupFiles.readKey(dirs.get("pids").resolve(PIDS_EVENTS), "max", 0));
    }

    /** "0" thaws a frozen cgroup (since Linux 5.2, in the cgroup2 hierarchy of a hybrid host). */
    static final String UNIFIED_FREEZE = "cgroup.freeze";

    /**
     * Lifts the CFS quota and thaws first: a killed task dies only when it is next scheduled, and a cgroup
     * held to a small quota by thousands of tasks (a fork bomb) has them wait for runtime for minutes with
     * SIGKILL pending. Without the quota they are gone in well under a second.
     */
    @Override
    public void kill() {
        Optional.ofNullable(dirs.get("cpu")).map(d -> d.resolve(CpuController.QUOTA)).filter(Files::exists)
                .ifPresent(quota -> CgroupFiles.write(quota, "-1"));
        unified.map(u -> u.resolve(UNIFIED_FREEZE)).filter(Files::exists).ifPresent(f -> CgroupFiles.write(f, "0"));
        Optional<Path> kill = unified.map(u -> u.resolve(UNIFIED_KILL)).filter(Files::exists);
        if (kill.isPresent()) {
            CgroupFiles.write(kill.get(), "1");
        } else if (!Tasks.killEach(path().resolve(PROCS), KILL_TIMEOUT)) {
            throw new CgroupException("kill every process in " + path() + ": still populated after " + KILL_TIMEOUT);
        }
    }

    @Override
    public void destroy() {
        if (allDirs().stream().noneMatch(Files::isDirectory)) {
            return;
        }
        empty(KILL_TIMEOUT);
        CgroupException failure = null;
        for (Path dir : allDirs()) {
            try {
                CgroupFiles.rmdir(dir);
            } catch (CgroupException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return path().toString();
    }
}
