package io.actord.daemon.api.dto;

import java.time.Instant;

/**
 * GET /v2/actord/status (actord's own namespace, not Apify's): what an admin asks of the daemon.
 *
 * @param cgroupMode UNIFIED, HYBRID or LEGACY; null when no cgroup filesystem could be read
 */
public record DaemonStatusDto(String version, String runtime, String cgroupMode, Instant startedAt,
                              Capacity capacity, Runs runs) {
    /**
     * The host: physical memory, the CPUs the daemon may use, and the memory runs may have together.
     *
     * @param runMemoryMbytes the capacity for runs: a run that does not fit in it waits (or is refused)
     */
    public record Capacity(long memoryMbytes, int cpus, long runMemoryMbytes) {
    }

    /**
     * Runs the daemon supervises now (not yet finished).
     *
     * @param memoryMbytes    the memory they were given, summed
     * @param memCurrentBytes the memory they use, summed over the last samples
     * @param heldMbytes      the memory of the runs whose containers started (what counts against the capacity)
     * @param waiting         runs waiting READY for the host's memory
     */
    public record Runs(int active, long memoryMbytes, long memCurrentBytes, long heldMbytes, int waiting) {
    }
}
