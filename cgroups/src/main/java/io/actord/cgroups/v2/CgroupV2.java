package io.actord.cgroups.v2;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.Resources;
import io.actord.cgroups.fs.CgroupFiles;
import io.actord.cgroups.fs.Tasks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/** A run's leaf in the unified hierarchy. */
final class CgroupV2 implements Cgroup {
    static final String PROCS = "cgroup.procs";
    /** "populated 0|1" (recursive; zombies do not count). */
    static final String EVENTS = "cgroup.events";
    /** Since Linux 5.14: writing "1" SIGKILLs the whole subtree, racing forks and migrations correctly. */
    static final String KILL = "cgroup.kill";
    static final String MEMORY_CURRENT = "memory.current";
    /** Since Linux 5.19. */
    static final String MEMORY_PEAK = "memory.peak";
    static final String MEMORY_EVENTS = "memory.events";
    static final String CPU_STAT = "cpu.stat";
    static final String PIDS_CURRENT = "pids.current";
    static final String PIDS_EVENTS = "pids.events";
    static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);

    private static final List<Controller> CONTROLLERS =
            List.of(new MemoryController(), new CpuController(), new PidsController());

    private final String name;
    private final Path dir;

    CgroupV2(String name, Path dir) {
        this.name = name;
        this.dir = dir;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path path() {
        return dir;
    }

    @Override
    public void addProcess(long pid) {
        CgroupFiles.write(dir.resolve(PROCS), Long.toString(pid));
    }

    @Override
    public void apply(Resources resources) {
        CONTROLLERS.forEach(c -> c.apply(resources, dir));
    }

    @Override
    public boolean populated() {
        return CgroupFiles.readKey(dir.resolve(EVENTS), "populated", 0) != 0;
    }

    @Override
    public Set<Long> pids() {
        return CgroupFiles.readPids(dir.resolve(PROCS));
    }

    @Override
    public CgroupStats stats() {
        long current = CgroupFiles.readLong(dir.resolve(MEMORY_CURRENT));
        Path peakFile = dir.resolve(MEMORY_PEAK);
        long peak = Files.exists(peakFile) ? CgroupFiles.readLong(peakFile) : current;
        var cpu = CgroupFiles.readKeyValues(dir.resolve(CPU_STAT));
        return new CgroupStats(current, peak, cpu.getOrDefault("usage_usec", 0L),
                cpu.getOrDefault("nr_throttled", 0L),
                CgroupFiles.readKey(dir.resolve(MEMORY_EVENTS), "oom_kill", 0),
                CgroupFiles.readLong(dir.resolve(PIDS_CURRENT)),
                CgroupFiles.readKey(dir.resolve(PIDS_EVENTS), "max", 0));
    }

    /** "0" thaws a frozen cgroup (since Linux 5.2; a core file, there with no controller enabled). */
    static final String FREEZE = "cgroup.freeze";

    /**
     * Lifts the CPU quota and thaws first: a killed task dies only when it is next scheduled, and a cgroup
     * held to a small quota by thousands of tasks (a fork bomb) has them wait for runtime for minutes with
     * SIGKILL pending. Without the quota they are gone in well under a second.
     */
    @Override
    public void kill() {
        writeIfPresent(dir.resolve(CpuController.CPU_MAX), "max");
        writeIfPresent(dir.resolve(FREEZE), "0");
        Path kill = dir.resolve(KILL);
        if (Files.exists(kill)) {
            CgroupFiles.write(kill, "1");
        } else if (!Tasks.killEach(dir.resolve(PROCS), KILL_TIMEOUT)) {
            throw new CgroupException("kill every process in " + dir + ": still populated after " + KILL_TIMEOUT);
        }
    }

    private static void writeIfPresent(Path file, String value) {
        if (Files.exists(file)) {
            CgroupFiles.write(file, value);
        }
    }

    @Override
    public void destroy() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        empty(KILL_TIMEOUT);
        CgroupFiles.rmdir(dir);
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
