package io.actord.daemon.run;

/**
 * Resource use aggregated from the run's cgroup samples, across all of its containers (resurrections).
 *
 * @param memSamples      how many memory samples were taken
 * @param memSumBytes     the sum of those samples (average = sum / samples)
 * @param memMaxBytes     the highest memory charge seen
 * @param memCurrentBytes the last sample (0 once the run has ended)
 * @param cpuMicros       CPU time used, all containers together
 * @param cpuMaxUsage     the highest CPU use between two samples, in % of one core
 * @param cpuCurrentUsage the last such value (0 once the run has ended)
 * @param netRxBytes      bytes received on the network, all containers together
 * @param netTxBytes      bytes sent on the network, all containers together
 * @param netRxContainer  the current container's own received-bytes counter when last sampled (its counters
 *                        start at 0; a restarted daemon re-attaching to it goes on from here)
 * @param netTxContainer  the same for bytes sent
 */
public record RunUsage(long memSamples, double memSumBytes, long memMaxBytes, long memCurrentBytes, long cpuMicros,
                       double cpuMaxUsage, double cpuCurrentUsage, long netRxBytes, long netTxBytes,
                       long netRxContainer, long netTxContainer) {
    public static final RunUsage NONE = new RunUsage(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /**
     * Adds a sample: {@code memBytes} now, and {@code cpuDeltaMicros} of CPU used over the last
     * {@code intervalMicros} of wall time.
     */
    public RunUsage withSample(long memBytes, long memPeakBytes, long cpuDeltaMicros, long intervalMicros) {
        double cpuPercent = intervalMicros <= 0 ? 0 : 100.0 * cpuDeltaMicros / intervalMicros;
        return new RunUsage(memSamples + 1, memSumBytes + memBytes, Math.max(memMaxBytes, Math.max(memBytes, memPeakBytes)),
                memBytes, cpuMicros + Math.max(0, cpuDeltaMicros), Math.max(cpuMaxUsage, cpuPercent), cpuPercent,
                netRxBytes, netTxBytes, netRxContainer, netTxContainer);
    }

    /** Adds what the current container's network counters grew by since the last sample. */
    public RunUsage withNetwork(long rxContainer, long txContainer) {
        return new RunUsage(memSamples, memSumBytes, memMaxBytes, memCurrentBytes, cpuMicros, cpuMaxUsage,
                cpuCurrentUsage, netRxBytes + Math.max(0, rxContainer - netRxContainer),
                netTxBytes + Math.max(0, txContainer - netTxContainer), Math.max(rxContainer, netRxContainer),
                Math.max(txContainer, netTxContainer));
    }

    /** A new container: its network counters start at 0. */
    public RunUsage newContainer() {
        return new RunUsage(memSamples, memSumBytes, memMaxBytes, memCurrentBytes, cpuMicros, cpuMaxUsage,
                cpuCurrentUsage, netRxBytes, netTxBytes, 0, 0);
    }

    /** The values once the container is gone: nothing is current any more. */
    public RunUsage stopped() {
        return new RunUsage(memSamples, memSumBytes, memMaxBytes, 0, cpuMicros, cpuMaxUsage, 0, netRxBytes, netTxBytes,
                netRxContainer, netTxContainer);
    }

    public double memAvgBytes() {
        return memSamples == 0 ? 0 : memSumBytes / memSamples;
    }
}
