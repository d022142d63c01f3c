package io.actord.daemon.runoptions;

import io.actord.cgroups.CpuLimit;
import io.actord.cgroups.MemoryLimit;
import io.actord.cgroups.PidsLimit;
import io.actord.cgroups.Resources;
import io.actord.daemon.api.ApiException;
import io.actord.runtime.DiskLimit;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * How big a run is: Apify's sizing rule, the one place it lives. Memory is a power of two from
 * {@value #MIN_MEMORY_MB} to {@value #MAX_MEMORY_MB} MB; CPU = memory / {@value #MEMORY_MB_PER_CORE} cores
 * (1024 MB gives cpu.max "25000 100000"); no swap; disk = 2 × memory; {@value #PIDS} tasks. A size is
 * checked when it is made ({@link #of} at the API, 400 invalid-value naming the allowed values), then mapped
 * to the cgroup's {@link #resources()} and the runtime's {@link #disk()}.
 */
public record RunSize(int memoryMbytes) {
    public static final int MIN_MEMORY_MB = 128;
    public static final int MAX_MEMORY_MB = 32_768;
    /** One full core per this many megabytes of memory (Apify's rule). */
    public static final int MEMORY_MB_PER_CORE = 4_096;
    /** Enough for any sane scraper (browsers included), low enough to stop a fork bomb early. */
    public static final long PIDS = 4_096;
    private static final long MB = 1024 * 1024;

    /** @throws ApiException invalid-value naming the allowed sizes when memoryMbytes breaks the rule */
    public RunSize {
        requireAllowed(memoryMbytes);
    }

    /** The size of a run asked for {@code memoryMb} (a request's number, so a long). */
    public static RunSize of(long memoryMb) {
        requireAllowed(memoryMb);
        return new RunSize((int) memoryMb);
    }

    /** Every allowed size, smallest first. */
    public static List<RunSize> all() {
        return IntStream.iterate(MIN_MEMORY_MB, mb -> mb <= MAX_MEMORY_MB, mb -> mb * 2).mapToObj(RunSize::new)
                .toList();
    }

    public long memoryBytes() {
        return memoryMbytes * MB;
    }

    public int diskMbytes() {
        return 2 * memoryMbytes;
    }

    /** The cores the run may use: its CPU limit as a number (0.25 for 1024 MB), APIFY_DEDICATED_CPUS. */
    public double cpuCores() {
        return cpu().cores();
    }

    /** The cgroup limits: memory without swap, the CPU share and the task limit. */
    public Resources resources() {
        return new Resources(MemoryLimit.ofBytes(memoryBytes()), cpu(), PidsLimit.of(PIDS));
    }

    /** The size of the run's writable layer. */
    public DiskLimit disk() {
        return DiskLimit.ofBytes(diskMbytes() * MB);
    }

    private CpuLimit cpu() {
        return CpuLimit.ofQuota(memoryMbytes * CpuLimit.DEFAULT_PERIOD_MICROS / MEMORY_MB_PER_CORE);
    }

    private static void requireAllowed(long memoryMb) {
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB || Long.bitCount(memoryMb) != 1) {
            throw ApiException.invalidValue("memory must be a power of 2 from " + MIN_MEMORY_MB + " to "
                    + MAX_MEMORY_MB + " MB (" + all().stream().map(s -> String.valueOf(s.memoryMbytes()))
                    .collect(Collectors.joining(", ")) + "), got " + memoryMb);
        }
    }
}
