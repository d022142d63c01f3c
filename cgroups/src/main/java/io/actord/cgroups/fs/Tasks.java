package io.actord.cgroups.fs;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting on cgroup conditions and the kill fallback for kernels without cgroup.kill. */
public final class Tasks {
    private Tasks() {
    }

    /**
     * Polls {@code condition} with a backoff from 1 to 20 ms: emptying a cgroup after SIGKILL takes 1–25 ms
     * here, so a tight start keeps the common case fast.
     */
    public static boolean await(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long sleepMillis = 1;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(sleepMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return condition.getAsBoolean();
            }
            sleepMillis = Math.min(20, sleepMillis * 2);
        }
        return true;
    }

    /**
     * SIGKILLs every process listed in {@code procsFile}, repeating until it is empty, for kernels older than
     * 5.14 (no cgroup.kill) and v1-only hosts. A process forked between two reads is caught by the next pass.
     */
    public static boolean killEach(Path procsFile, Duration timeout) {
        return await(() -> {
            var pids = CgroupFiles.readPids(procsFile);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            return pids.isEmpty();
        }, timeout);
    }
}
