package io.actord.daemon.run;

import io.actord.cgroups.CgroupStats;
import io.actord.runtime.Container;
import io.actord.runtime.network.NetCounters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Optional;

/**
 * A run's resource figures from its container's cgroup: each sample turns the CPU time used since the last
 * one into a current CPU share, and adds a chart point to {@link RunSamples}. One per supervisor, confined to
 * its serial executor.
 */
final class UsageSampler {
    /** It logs as the supervisor it belongs to: a run's log lines keep one name (STYLE.md §10). */
    private static final Logger LOG = LoggerFactory.getLogger(RunSupervisor.class);

    private final String runId;
    private final RunSamples samples;
    private final Clock clock;
    private long lastCpuMicros;
    private long lastSampleNanos;

    UsageSampler(String runId, RunSamples samples, Clock clock) {
        this.runId = runId;
        this.samples = samples;
        this.clock = clock;
    }

    /** A new container: CPU time counts from what it has used so far. */
    void reset(Container container) {
        lastSampleNanos = System.nanoTime();
        lastCpuMicros = read(container).cpuUsageMicros();
    }

    /**
     * The run's usage with a sample of {@code container} (null: none, the counters stay) added. The last
     * sample of a run that has ended (an abort or a timeout stores its status before the exit) counts, but
     * nothing is current any more.
     */
    RunUsage sample(Run run, Container container) {
        CgroupStats stats = read(container);
        long nanos = System.nanoTime();
        long cpuDelta = stats.cpuUsageMicros() - lastCpuMicros;
        long interval = (nanos - lastSampleNanos) / 1000;
        lastCpuMicros = stats.cpuUsageMicros();
        lastSampleNanos = nanos;
        RunUsage usage = run.usage().withSample(stats.memoryCurrentBytes(), stats.memoryPeakBytes(), cpuDelta, interval);
        Optional<NetCounters> net = container == null ? Optional.empty() : container.networkCounters();
        if (net.isPresent()) {
            usage = usage.withNetwork(net.get().rxBytes(), net.get().txBytes());
        }
        if (run.status().isTerminal()) {
            usage = usage.stopped();
        }
        samples.add(runId, clock.instant(), usage.cpuCurrentUsage(), usage.memCurrentBytes());
        return usage;
    }

    private CgroupStats read(Container container) {
        try {
            return container.stats();
        } catch (RuntimeException e) {
            LOG.debug("run={} stats unavailable: {}", runId, e.getMessage());
            return new CgroupStats(0, 0, lastCpuMicros, 0, 0, 0, 0);
        }
    }
}
