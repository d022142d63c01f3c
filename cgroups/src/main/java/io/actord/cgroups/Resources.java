package io.actord.cgroups;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

/**
 * Limits for one cgroup (memory, CPU, tasks) plus the writable-disk size that the runtime enforces.
 * {@link #forMemory(long)} is the one place the product's sizing rule lives.
 */
public record Resources(MemoryLimit memory, CpuLimit cpu, PidsLimit pids, DiskLimit disk) {
    public static final long MIN_MEMORY_MB = 128;
    public static final long MAX_MEMORY_MB = 32_768;
    /** One full core per this many megabytes of memory (Apify's rule). */
    public static final long MEMORY_MB_PER_CORE = 4_096;
    /** Enough for any sane scraper (browsers included), low enough to stop a fork bomb early. */
    public static final long DEFAULT_PIDS = 4_096;

    private static final long MB = 1024 * 1024;

    public Resources {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(pids, "pids");
        Objects.requireNonNull(disk, "disk");
    }

    public static Resources unlimited() {
        return new Resources(MemoryLimit.unlimited(), CpuLimit.unlimited(), PidsLimit.unlimited(), DiskLimit.unlimited());
    }

    /**
     * The resources of a run with {@code memoryMb} of memory: memory must be a power of two from 128 to
     * 32768 MB; CPU = memory / 4096 cores (1024 MB gives cpu.max "25000 100000"); no swap; disk = 2 × memory;
     * {@value #DEFAULT_PIDS} tasks.
     *
     * @throws IllegalArgumentException naming the allowed values when memoryMb breaks the rule
     */
    public static Resources forMemory(long memoryMb) {
        if (memoryMb < MIN_MEMORY_MB || memoryMb > MAX_MEMORY_MB || Long.bitCount(memoryMb) != 1) {
            throw new IllegalArgumentException("memory must be a power of 2 from " + MIN_MEMORY_MB + " to "
                    + MAX_MEMORY_MB + " MB (" + allowedMemoryMb() + "), got " + memoryMb);
        }
        long quota = memoryMb * CpuLimit.DEFAULT_PERIOD_MICROS / MEMORY_MB_PER_CORE;
        return new Resources(
                MemoryLimit.ofBytes(memoryMb * MB),
                CpuLimit.ofQuota(quota),
                PidsLimit.of(DEFAULT_PIDS),
                DiskLimit.ofBytes(2 * memoryMb * MB));
    }

    /** The memory sizes {@link #forMemory(long)} accepts, in MB, smallest first. */
    public static List<Long> memorySizesMb() {
        return LongStream.iterate(MIN_MEMORY_MB, mb -> mb <= MAX_MEMORY_MB, mb -> mb * 2).boxed().toList();
    }

    /** "128, 256, …, 32768": the memory sizes {@link #forMemory(long)} accepts. */
    public static String allowedMemoryMb() {
        return memorySizesMb().stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    public Resources withMemory(MemoryLimit newMemory) {
        return new Resources(newMemory, cpu, pids, disk);
    }

    public Resources withPids(PidsLimit newPids) {
        return new Resources(memory, cpu, newPids, disk);
    }

    public Resources withCpu(CpuLimit newCpu) {
        return new Resources(memory, newCpu, pids, disk);
    }
}
