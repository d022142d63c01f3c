package io.actord.daemon.api.dto;

/**
 * A run's stats. Memory in bytes, CPU in % of one core, durationMillis from start to finish (stopped time
 * included after a resurrection), computeUnits = memory GB × hours actually running.
 */
public record RunStatsDto(long inputBodyLen, int migrationCount, int rebootCount, int restartCount, int resurrectCount,
                          double memAvgBytes, long memMaxBytes, long memCurrentBytes, double cpuAvgUsage,
                          double cpuMaxUsage, double cpuCurrentUsage, long netRxBytes, long netTxBytes,
                          long durationMillis, double runTimeSecs, int metamorph, double computeUnits) {
}
