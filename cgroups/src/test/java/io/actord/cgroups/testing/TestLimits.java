package io.actord.cgroups.testing;

import io.actord.cgroups.CpuLimit;
import io.actord.cgroups.MemoryLimit;
import io.actord.cgroups.PidsLimit;
import io.actord.cgroups.Resources;

/**
 * Fixed, ordinary limits for tests of the drivers and the runtime: {@code memoryMb} of memory, a quarter
 * of a core per GB of it (1024 MB gives cpu.max "25000 100000") and {@value #PIDS} tasks. These are test
 * inputs, not a sizing rule: the product's rule is the daemon's {@code RunSize}.
 */
public final class TestLimits {
    public static final long PIDS = 4_096;
    private static final long MB = 1024 * 1024;

    private TestLimits() {
    }

    public static Resources forMemory(long memoryMb) {
        return new Resources(MemoryLimit.ofBytes(memoryMb * MB),
                CpuLimit.ofQuota(memoryMb * 25_000 / 1_024), PidsLimit.of(PIDS));
    }
}
