package io.actord.runtime;

import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.CpuLimit;
import io.actord.cgroups.PidsLimit;
import io.actord.cgroups.Resources;
import io.actord.cgroups.testing.TestLimits;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Cgroup limits ({@link TestLimits}: the shape of a run's), enforced on real workloads. */
@Tag("privileged")
class ResourceLimitsIT {
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(ResourceLimitsIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void shouldReportOomKilledWhenTheWorkloadOutgrowsItsMemory() {
        // 128 MB buys only 1/32 of a core, and under emulation (the v2 guest) mapping a page costs so much
        // CPU that the hog would need minutes to reach the limit. The CPU quota is not what this test checks.
        Resources memoryOnly = TestLimits.forMemory(128).withCpu(CpuLimit.unlimited());
        try (Container c = rt.runtime().create(rt.spec("memhog", "/bin/payload", "memhog", "512")
                .resources(memoryOnly).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(60));
            ExitStatus status = c.awaitExit(Duration.ofSeconds(10)).orElseThrow();

            assertEquals(ExitStatus.killed(Signal.SIGKILL).withOomKilled(true), status, out);
            assertTrue(c.stats().oomKills() >= 1, c.stats().toString());
            assertTrue(!out.contains("allocated 512 MB"), out);
        }
    }

    /**
     * TestLimits' 1024 MB has 0.25 of a core. The workload measures its own share over its busy loop; the cgroup's
     * usage is held against the container's whole life (exec and start-up included, which take whole seconds of
     * CPU under emulation and fall outside the workload's window), so it may only stay at or under the quota.
     */
    @Test
    void shouldHoldA1024MbContainerToAQuarterOfACore() {
        long created = System.nanoTime();
        try (Container c = rt.runtime().create(rt.spec("cpuburn", "/bin/payload", "cpuburn", "3")
                .resources(TestLimits.forMemory(1024)).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(30));
            c.awaitExit(Duration.ofSeconds(10)).orElseThrow();
            double lifetime = (System.nanoTime() - created) / 1e9;

            Matcher m = Pattern.compile("cpuburn: wall ([0-9.]+) cpu ([0-9.]+)").matcher(out);
            assertTrue(m.find(), out);
            double share = Double.parseDouble(m.group(2)) / Double.parseDouble(m.group(1));
            CgroupStats stats = c.stats();
            double cgroupShare = stats.cpuUsageMicros() / 1e6 / lifetime;
            System.out.printf("ResourceLimitsIT: cpuburn used %.3f CPU (cgroup over the container's %.2f s: %.3f,"
                    + " throttled %d periods)%n", share, lifetime, cgroupShare, stats.cpuThrottledPeriods());
            assertEquals(0.25, share, 0.05, out);
            assertTrue(cgroupShare <= 0.30, "the cgroup stayed within its quota: " + cgroupShare + " " + stats);
            assertTrue(stats.cpuThrottledPeriods() > 0, stats.toString());
        }
    }

    @Test
    void shouldStopAForkBombAtPidsMaxAndLeaveTheHostAlone() throws Exception {
        try (Container c = rt.runtime().create(rt.spec("forkbomb", "/bin/payload", "forkbomb")
                .resources(TestLimits.forMemory(256).withPids(PidsLimit.of(64))).build())) {
            String out = TestRuntime.output(c, Duration.ofSeconds(30));
            ExitStatus status = c.awaitExit(Duration.ofSeconds(10)).orElseThrow();

            Matcher m = Pattern.compile("fork failed after (\\d+) children: EAGAIN").matcher(out);
            assertTrue(m.find(), out);
            assertTrue(Integer.parseInt(m.group(1)) < 64, out);
            assertEquals(ExitStatus.exited(0), status);
            assertTrue(c.stats().pidsLimitHits() >= 1, c.stats().toString());
        }
        Process host = new ProcessBuilder("/bin/true").start();
        assertTrue(host.waitFor(5, TimeUnit.SECONDS) && host.exitValue() == 0, "the host can still fork");
    }
}
