package io.actord.cgroups;

/**
 * A snapshot of a cgroup's counters.
 *
 * @param memoryCurrentBytes memory charged now (page cache included, as the limit counts it)
 * @param memoryPeakBytes    the highest memory charge seen since the cgroup was created
 * @param cpuUsageMicros     CPU time used by all tasks, user + system
 * @param cpuThrottledPeriods CFS periods in which the quota ran out
 * @param oomKills           tasks the kernel's OOM killer ended inside this cgroup
 * @param pidsCurrent        tasks in the cgroup now
 * @param pidsLimitHits      fork/clone calls refused because pids.max was reached
 */
public record CgroupStats(long memoryCurrentBytes, long memoryPeakBytes, long cpuUsageMicros,
                          long cpuThrottledPeriods, long oomKills, long pidsCurrent, long pidsLimitHits) {
}
