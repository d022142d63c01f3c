package io.actord.daemon.api.dto;

/**
 * One memory size a run may have and what comes with it (GET /v2/actord/run-sizes, actord's namespace):
 * the CPU share in cores and the writable disk.
 */
public record RunSizeDto(long memoryMbytes, double cpuCores, long diskMbytes) {
}
