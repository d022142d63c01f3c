package io.actord.cgroups.v2;

import io.actord.cgroups.Cgroup;
import io.actord.cgroups.CgroupException;
import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.Resources;
import io.actord.cgroups.testing.TestLimits;
import io.actord.cgroups.testing.CgroupFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static io.actord.cgroups.testing.CgroupFixture.read;
import static io.actord.cgroups.testing.CgroupFixture.set;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CgroupV2ManagerTest {
    private static final long SELF = 4242;

    @TempDir
    Path root;

    private CgroupV2Manager openInService() {
        Path own = CgroupFixture.v2(root.resolve("system.slice/actord.service"));
        CgroupFixture.v2(own.resolve("actord"));
        CgroupFixture.v2(own.resolve("actord/run1"));
        return CgroupV2Manager.open(own, false, "actord", SELF);
    }

    @Test
    void shouldWriteMemoryCpuAndPidsLimits() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(1024));

        Path dir = cgroup.path();
        assertEquals("1073741824", read(dir.resolve("memory.max")));
        assertEquals("0", read(dir.resolve("memory.swap.max")));
        assertEquals("25000 100000", read(dir.resolve("cpu.max")));
        assertEquals("4096", read(dir.resolve("pids.max")));
    }

    @Test
    void shouldWriteMaxWhenUnlimited() {
        Cgroup cgroup = openInService().create("run1", Resources.unlimited());

        Path dir = cgroup.path();
        assertEquals("max", read(dir.resolve("memory.max")));
        assertEquals("max", read(dir.resolve("memory.swap.max")));
        assertEquals("max 100000", read(dir.resolve("cpu.max")));
        assertEquals("max", read(dir.resolve("pids.max")));
    }

    @Test
    void shouldSkipSwapWhenTheKernelDoesNotAccountIt() throws Exception {
        CgroupV2Manager manager = openInService();
        Files.delete(root.resolve("system.slice/actord.service/actord/run1/memory.swap.max"));

        Cgroup cgroup = manager.create("run1", TestLimits.forMemory(128));

        assertEquals("134217728", read(cgroup.path().resolve("memory.max")));
    }

    @Test
    void shouldMoveDaemonIntoSupervisorLeafWhenItsCgroupHoldsIt() {
        Path own = CgroupFixture.v2(root.resolve("system.slice/actord.service"));
        set(own.resolve("cgroup.procs"), SELF + "\n");
        CgroupFixture.v2(own.resolve("supervisor"));
        CgroupFixture.v2(own.resolve("actord"));

        CgroupV2Manager.open(own, false, "actord", SELF);

        assertEquals(Long.toString(SELF), read(own.resolve("supervisor/cgroup.procs")));
        assertEquals("+cpu +memory +pids", read(own.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +memory +pids", read(own.resolve("actord/cgroup.subtree_control")));
    }

    @Test
    void shouldRefuseWhenOtherProcessesShareTheDaemonsCgroup() {
        Path own = CgroupFixture.v2(root.resolve("user.slice/session-1.scope"));
        set(own.resolve("cgroup.procs"), SELF + "\n77\n");

        var e = assertThrows(CgroupException.class, () -> CgroupV2Manager.open(own, false, "actord", SELF));

        assertTrue(e.getMessage().contains("other than this daemon [77]"), e.getMessage());
        assertFalse(Files.exists(own.resolve("supervisor")));
    }

    @Test
    void shouldNotMoveAnythingAtTheRoot() {
        CgroupFixture.v2(root);
        set(root.resolve("cgroup.procs"), "1\n" + SELF + "\n");
        CgroupFixture.v2(root.resolve("actord"));

        CgroupV2Manager.open(root, true, "actord", SELF);

        assertFalse(Files.exists(root.resolve("supervisor")));
        assertEquals("+cpu +memory +pids", read(root.resolve("cgroup.subtree_control")));
    }

    @Test
    void shouldLeaveEnabledControllersAlone() {
        Path own = CgroupFixture.v2(root.resolve("svc"));
        set(own.resolve("cgroup.subtree_control"), "cpu memory pids\n");
        set(own.resolve("cgroup.procs"), "77\n");
        CgroupFixture.v2(own.resolve("actord"));
        set(own.resolve("actord/cgroup.subtree_control"), "memory\n");

        CgroupV2Manager.open(own, false, "actord", SELF);

        assertEquals("cpu memory pids", read(own.resolve("cgroup.subtree_control")));
        assertEquals("+cpu +pids", read(own.resolve("actord/cgroup.subtree_control")));
    }

    @Test
    void shouldFailNamingMissingControllers() {
        Path own = CgroupFixture.v2(root.resolve("svc"));
        set(own.resolve("cgroup.controllers"), "memory pids\n");

        var e = assertThrows(CgroupException.class, () -> CgroupV2Manager.open(own, false, "actord", SELF));

        assertTrue(e.getMessage().startsWith("controllers [cpu] are not available in " + own.resolve("cgroup.controllers")),
                e.getMessage());
    }

    @Test
    void shouldAddProcessToTheRunsCgroup() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(128));

        cgroup.addProcess(99);

        assertEquals("99", read(cgroup.path().resolve("cgroup.procs")));
    }

    @Test
    void shouldReadStats() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(128));
        Path dir = cgroup.path();
        set(dir.resolve("memory.current"), "1000\n");
        set(dir.resolve("memory.peak"), "5000\n");
        set(dir.resolve("cpu.stat"), "usage_usec 777\nuser_usec 700\nsystem_usec 77\nnr_periods 9\nnr_throttled 4\n");
        set(dir.resolve("memory.events"), "low 0\nhigh 0\nmax 2\noom 1\noom_kill 1\n");
        set(dir.resolve("pids.current"), "3\n");
        set(dir.resolve("pids.events"), "max 2\n");

        assertEquals(new CgroupStats(1000, 5000, 777, 4, 1, 3, 2), cgroup.stats());
    }

    @Test
    void shouldReportPopulatedFromEvents() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(128));
        assertFalse(cgroup.populated());

        set(cgroup.path().resolve("cgroup.events"), "populated 1\nfrozen 0\n");

        assertTrue(cgroup.populated());
    }

    @Test
    void shouldKillThroughCgroupKill() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(128));

        cgroup.kill();

        assertEquals("1", read(cgroup.path().resolve("cgroup.kill")));
    }

    /** Throttled or frozen tasks would die only when next scheduled: the quota goes and the cgroup thaws first. */
    @Test
    void shouldLiftTheCpuQuotaAndThawBeforeKilling() {
        Cgroup cgroup = openInService().create("run1", TestLimits.forMemory(128));
        set(cgroup.path().resolve("cgroup.freeze"), "1");

        cgroup.kill();

        assertEquals("max", read(cgroup.path().resolve("cpu.max")));
        assertEquals("0", read(cgroup.path().resolve("cgroup.freeze")));
    }

    @Test
    void shouldRefuseToTakeOverACgroupThatHoldsProcesses() {
        CgroupV2Manager manager = openInService();
        Path dir = root.resolve("system.slice/actord.service/actord/run1");
        set(dir.resolve("cgroup.events"), "populated 1\n");
        set(dir.resolve("cgroup.procs"), "12\n");

        var e = assertThrows(CgroupException.class, () -> manager.create("run1", TestLimits.forMemory(128)));

        assertTrue(e.getMessage().endsWith("it exists and holds processes [12]"), e.getMessage());
    }

    @Test
    void shouldListAndFindRuns() {
        CgroupV2Manager manager = openInService();

        assertEquals(List.of("run1"), manager.names());
        assertTrue(manager.find("run1").isPresent());
        assertTrue(manager.find("run2").isEmpty());
        assertEquals(Set.of(), manager.find("run1").orElseThrow().pids());
    }
}
