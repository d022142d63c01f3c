package io.actord.cgroups.v1;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupMode;
import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.Resources;
import io.actord.cgroups.testing.TestLimits;
import io.actord.cgroups.testing.CgroupFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.actord.cgroups.testing.CgroupFixture.read;
import static io.actord.cgroups.testing.CgroupFixture.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupV1ManagerTest {
    @TempDir
    Path root;

    private Path memory;
    private Path cpu;
    private Path cpuacct;
    private Path pids;
    private Path unified;

    /** Like the build machine: memory under a managed path, the others at their roots, cgroup2 for tracking. */
    private CgroupV1Manager openHybrid() {
        Path ownMemory = root.resolve("memory/process_api/abc");
        memory = CgroupFixture.v1(ownMemory.resolve("actord/run1"), "memory");
        cpu = CgroupFixture.v1(root.resolve("cpu/actord/run1"), "cpu");
        cpuacct = CgroupFixture.v1(root.resolve("cpuacct/actord/run1"), "cpuacct");
        pids = CgroupFixture.v1(root.resolve("pids/actord/run1"), "pids");
        unified = CgroupFixture.unifiedTracking(root.resolve("unified/actord/run1"));
        Map<String, Path> own = Map.of("memory", ownMemory, "cpu", root.resolve("cpu"),
                "cpuacct", root.resolve("cpuacct"), "pids", root.resolve("pids"));
        return CgroupV1Manager.open(CgroupMode.HYBRID, own, Optional.of(root.resolve("unified")), "actord");
    }

    @Test
    void shouldWriteMemoryCpuAndPidsLimits() {
        openHybrid().create("run1", TestLimits.forMemory(1024));

        assertEquals("1073741824", read(memory.resolve("memory.limit_in_bytes")));
        assertEquals("1073741824", read(memory.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("100000", read(cpu.resolve("cpu.cfs_period_us")));
        assertEquals("25000", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("4096", read(pids.resolve("pids.max")));
    }

    @Test
    void shouldWriteMaxWhenUnlimited() {
        openHybrid().create("run1", Resources.unlimited());

        assertEquals("-1", read(memory.resolve("memory.limit_in_bytes")));
        assertEquals("-1", read(memory.resolve("memory.memsw.limit_in_bytes")));
        assertEquals("-1", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("max", read(pids.resolve("pids.max")));
    }

    @Test
    void shouldSkipSwapWhenTheKernelDoesNotAccountIt() throws Exception {
        CgroupV1Manager manager = openHybrid();
        Files.delete(memory.resolve("memory.memsw.limit_in_bytes"));

        manager.create("run1", TestLimits.forMemory(128));

        assertEquals("134217728", read(memory.resolve("memory.limit_in_bytes")));
        assertEquals("0", read(memory.resolve("memory.swappiness")));
    }

    @Test
    void shouldAddProcessToEveryHierarchy() {
        Cgroup cgroup = openHybrid().create("run1", TestLimits.forMemory(128));

        cgroup.addProcess(99);

        for (Path dir : List.of(memory, cpu, cpuacct, pids, unified)) {
            assertEquals("99", read(dir.resolve("cgroup.procs")), dir.toString());
        }
    }

    @Test
    void shouldReadStats() {
        Cgroup cgroup = openHybrid().create("run1", TestLimits.forMemory(128));
        set(memory.resolve("memory.usage_in_bytes"), "1000\n");
        set(memory.resolve("memory.max_usage_in_bytes"), "5000\n");
        set(memory.resolve("memory.oom_control"), "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        set(cpuacct.resolve("cpuacct.usage"), "777000\n");
        set(cpu.resolve("cpu.stat"), "nr_periods 9\nnr_throttled 4\nthrottled_time 100\n");
        set(pids.resolve("pids.current"), "3\n");
        set(pids.resolve("pids.events"), "max 2\n");

        assertEquals(new CgroupStats(1000, 5000, 777, 4, 1, 3, 2), cgroup.stats());
    }

    @Test
    void shouldReportPopulatedFromEvents() {
        Cgroup cgroup = openHybrid().create("run1", TestLimits.forMemory(128));
        assertFalse(cgroup.populated());

        set(unified.resolve("cgroup.events"), "populated 1\nfrozen 0\n");

        assertTrue(cgroup.populated());
    }

    @Test
    void shouldKillThroughCgroupKill() {
        Cgroup cgroup = openHybrid().create("run1", TestLimits.forMemory(128));

        cgroup.kill();

        assertEquals("1", read(unified.resolve("cgroup.kill")));
    }

    /** Throttled or frozen tasks would die only when next scheduled: the quota goes and the cgroup thaws first. */
    @Test
    void shouldLiftTheCpuQuotaAndThawBeforeKilling() {
        Cgroup cgroup = openHybrid().create("run1", TestLimits.forMemory(128));
        set(unified.resolve("cgroup.freeze"), "1");

        cgroup.kill();

        assertEquals("-1", read(cpu.resolve("cpu.cfs_quota_us")));
        assertEquals("0", read(unified.resolve("cgroup.freeze")));
    }

    @Test
    void shouldRefuseToTakeOverACgroupThatHoldsProcesses() {
        CgroupV1Manager manager = openHybrid();
        set(unified.resolve("cgroup.events"), "populated 1\n");
        set(memory.resolve("cgroup.procs"), "12\n");

        var e = assertThrows(CgroupException.class, () -> manager.create("run1", TestLimits.forMemory(128)));

        assertTrue(e.getMessage().endsWith("it exists and holds processes [12]"), e.getMessage());
    }

    @Test
    void shouldListAndFindRuns() {
        CgroupV1Manager manager = openHybrid();

        assertEquals(List.of("run1"), manager.names());
        assertTrue(manager.find("run1").isPresent());
        assertTrue(manager.find("run2").isEmpty());
    }

    @Test
    void shouldFailNamingMissingControllers() {
        var e = assertThrows(CgroupException.class, () -> CgroupV1Manager.open(CgroupMode.LEGACY,
                Map.of("memory", root.resolve("memory")), Optional.empty(), "actord"));

        assertEquals("cgroup v1 controllers [cpu, pids] are not mounted (see /proc/self/mountinfo)", e.getMessage());
    }
}
