package io.actord.cgroups;

import io.actord.cgroups.testing.TestLimits;
import io.actord.cgroups.testing.Host;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Real limits on the real kernel: each test starts a host shell that waits on stdin, moves it into a fresh
 * run cgroup, then lets it go, so everything it does is charged to the run.
 */
@Tag("privileged")
class CgroupLimitsIT {
    private static CgroupManager manager;
    private final List<Process> processes = new ArrayList<>();
    private Cgroup cgroup;

    @BeforeAll
    static void openManager() {
        Host.requireRoot(CgroupLimitsIT.class);
        manager = Cgroups.detect(new CgroupConfig("actord-it-" + ProcessHandle.current().pid()));
        System.out.println("CgroupLimitsIT: cgroup driver: " + manager.description());
    }

    @AfterEach
    void destroyCgroup() {
        processes.forEach(Process::destroyForcibly);
        if (cgroup != null) {
            cgroup.destroy();
            assertFalse(Files.exists(cgroup.path()), "cgroup dir left behind: " + cgroup.path());
        }
    }

    @AfterAll
    static void releaseSubtree() {
        if (manager != null) {
            assertEquals(List.of(), manager.names());
            manager.release();
        }
    }

    /** Starts {@code sh -c 'read go; SCRIPT'} inside the cgroup: the script runs only once it is placed. */
    private Process startInCgroup(String script) throws IOException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "read go; " + script)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        cgroup.addProcess(p.pid());
        OutputStream stdin = p.getOutputStream();
        stdin.write('\n');
        stdin.flush();
        return p;
    }

    @Test
    void shouldOomKillProcessBeyondMemoryLimit() throws Exception {
        cgroup = manager.create("oom", Resources.unlimited().withPids(PidsLimit.of(64))
                .withMemory(MemoryLimit.ofBytes(64L << 20)));

        // tail keeps everything after the last newline, and /dev/zero has none: it grows until killed. (A shell
        // command substitution would too, but dash reads it 128 bytes at a time: slow under User-Mode Linux.)
        Process p = startInCgroup("exec tail /dev/zero");

        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "memory hog did not end");
        assertEquals(128 + 9, p.exitValue(), "the OOM killer sends SIGKILL");
        CgroupStats stats = cgroup.stats();
        assertTrue(stats.oomKills() >= 1, "oom_kill counter: " + stats);
        assertTrue(stats.memoryPeakBytes() <= 64L << 20, "peak above the limit: " + stats);
    }

    @Test
    void shouldHoldCpuBurnerToItsQuota() throws Exception {
        cgroup = manager.create("cpu", TestLimits.forMemory(1024));

        startInCgroup("while :; do :; done");
        Thread.sleep(300);
        long usage0 = cgroup.stats().cpuUsageMicros();
        long wall0 = System.nanoTime();
        Thread.sleep(2_500);
        long usage1 = cgroup.stats().cpuUsageMicros();
        double cores = (usage1 - usage0) / ((System.nanoTime() - wall0) / 1000.0);

        System.out.printf("CgroupLimitsIT: cpu burner used %.3f CPU under a 0.25 CPU quota%n", cores);
        assertEquals(0.25, cores, 0.25 * 0.20, "CPU use within ±20% of the quota");
        assertTrue(cgroup.stats().cpuThrottledPeriods() > 0, "throttled periods counted");
    }

    @Test
    void shouldStopForkLoopAtPidsMax() throws Exception {
        cgroup = manager.create("pids", Resources.unlimited().withPids(PidsLimit.of(16)));

        Process p = startInCgroup("i=0; while [ $i -lt 64 ]; do sleep 30 & i=$((i+1)); done; sleep 30");

        // dash gives up on the first fork that fails ("Cannot fork", exit 2), leaving its 15 children.
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "the fork loop was not stopped");
        assertEquals(2, p.exitValue());
        CgroupStats stats = cgroup.stats();
        assertEquals(15, stats.pidsCurrent(), "15 sleeps started, the 16th task (the shell) is gone: " + stats);
        assertTrue(stats.pidsLimitHits() >= 1, "pids.events max counts the refused fork: " + stats);
    }

    @Test
    void shouldEmptyCgroupOnKill() throws Exception {
        cgroup = manager.create("kill", TestLimits.forMemory(128));
        startInCgroup("sleep 60 & sleep 60 & sleep 60");
        assertTrue(waitFor(() -> cgroup.pids().size() == 4, Host.patience(Duration.ofSeconds(5))), "children started");
        assertTrue(cgroup.populated());

        long start = System.nanoTime();
        cgroup.kill();
        // Generous: on a loaded host under emulation (the v2 guest) dying tasks take seconds to be scheduled.
        boolean empty = cgroup.awaitEmpty(Host.patience(Duration.ofSeconds(30)));

        System.out.printf("CgroupLimitsIT: kill emptied the cgroup in %.1f ms%n", (System.nanoTime() - start) / 1e6);
        assertTrue(empty, "cgroup still populated: " + cgroup.pids());
        assertEquals(List.of(), List.copyOf(cgroup.pids()));
    }

    /**
     * The attack: a fork bomb under a small CPU share beside a CPU burner. Its thousands of tasks, retrying forks
     * and OOM-killed in turn, are throttled all the time, and after a kill they waited for runtime with
     * SIGKILL pending for minutes.
     */
    @Test
    void shouldEndAThrottledForkBombSoonAfterItsKill() throws Exception {
        Cgroup burner = manager.create("burner", TestLimits.forMemory(8192));
        try {
            Process b = new ProcessBuilder("/bin/sh", "-c", "read go; while :; do :; done & while :; do :; done")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            processes.add(b);
            burner.addProcess(b.pid());
            b.getOutputStream().write('\n');
            b.getOutputStream().flush();

            cgroup = manager.create("bomb", TestLimits.forMemory(512));
            startInCgroup("b() { while :; do b & done; }; b");
            // Thousands of tasks: 3000 on a plain host within seconds; a guest kernel (UML forks through ptrace)
            // may level off lower in the time given, and a thousand throttled tasks are the same attack.
            boolean grown = waitFor(() -> cgroup.stats().pidsCurrent() >= 3000, Duration.ofSeconds(120))
                    || cgroup.stats().pidsCurrent() >= 1000;
            assertTrue(grown, "the bomb grew: " + cgroup.stats());
            // The smallest share a run could be given (1 ms per 100 ms), once the bomb has grown at 1/8 core.
            cgroup.apply(TestLimits.forMemory(512).withCpu(CpuLimit.ofQuota(CpuLimit.MIN_QUOTA_MICROS)));
            long throttled = cgroup.stats().cpuThrottledPeriods();
            Thread.sleep(500);
            assertTrue(cgroup.stats().cpuThrottledPeriods() > throttled, "the bomb is throttled: " + cgroup.stats());

            long tasks = cgroup.stats().pidsCurrent();
            long start = System.nanoTime();
            cgroup.kill();
            // A generous bound for a loaded, shared host; without lifting the quota they took minutes.
            boolean empty = cgroup.awaitEmpty(Duration.ofSeconds(60));
            System.out.printf("CgroupLimitsIT: throttled fork bomb of %d tasks, empty=%s %.1f ms after its kill%n",
                    tasks, empty, (System.nanoTime() - start) / 1e6);
            assertTrue(empty, "tasks left after the kill: " + cgroup.stats().pidsCurrent());
        } finally {
            if (cgroup != null && cgroup.populated()) {
                cgroup.apply(Resources.unlimited()); // so that a failed test still cleans up
                cgroup.kill();
            }
            burner.destroy();
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition, Duration timeout) {
        return io.actord.cgroups.fs.Tasks.await(condition, timeout);
    }
}
