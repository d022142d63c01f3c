package io.actord.daemon.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each run's CPU and memory over time, for the console's chart: the cgroup samples the run's supervisor
 * takes (about one a second), kept in memory only (a restarted daemon starts empty).
 *
 * <p>Bounded twice. Per run, at most {@link #MAX_POINTS} points: when a series is full, neighbouring points
 * are merged in pairs and each later point stands for twice as many samples, so a long run keeps its whole
 * history at a coarser resolution. A merged point has the mean CPU (CPU time is preserved) and the highest
 * memory (peaks stay visible: they are what an OOM kill follows). Across runs, the series of the
 * {@link #MAX_RUNS} runs sampled or read most recently are kept. Thread-safe.
 */
public final class RunSamples {
    public static final int MAX_POINTS = 600;
    public static final int MAX_RUNS = 256;

    /**
     * One point: at {@code createdAt}, CPU use in % of one core and the memory charge, as in the
     * {@code systemInfo} event's fields of the same names.
     */
    public record Sample(Instant createdAt, double cpuCurrentUsage, long memCurrentBytes) {
    }

    private final int maxPoints;
    private final Map<String, Series> series;

    public RunSamples() {
        this(MAX_POINTS, MAX_RUNS);
    }

    RunSamples(int maxPoints, int maxRuns) {
        if (maxPoints < 2 || maxPoints % 2 != 0) {
            throw new IllegalArgumentException("maxPoints must be even and at least 2, got " + maxPoints);
        }
        this.maxPoints = maxPoints;
        this.series = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Series> eldest) {
                return size() > maxRuns;
            }
        };
    }

    /** Adds one sample of the run's container. */
    public void add(String runId, Instant at, double cpuPercent, long memBytes) {
        Series s;
        synchronized (series) {
            s = series.computeIfAbsent(runId, id -> new Series(maxPoints));
        }
        s.add(at.toEpochMilli(), cpuPercent, memBytes);
    }

    /**
     * The run's points, oldest first, the last one possibly standing for fewer samples than the others (so
     * the newest sample always shows); empty when it has none (never sampled, forgotten, or before a restart). */
    public List<Sample> of(String runId) {
        Series s;
        synchronized (series) {
            s = series.get(runId);
        }
        return s == null ? List.of() : s.points();
    }

    /** One run's points in parallel arrays, plus the samples not yet making up a whole point. */
    private static final class Series {
        private final long[] at;
        private final double[] cpu;
        private final long[] mem;
        private int count;
        /** How many samples each new point stands for. */
        private int stride = 1;
        private int pending;
        private long pendingAt;
        private double pendingCpu;
        private long pendingMem;

        Series(int maxPoints) {
            at = new long[maxPoints];
            cpu = new double[maxPoints];
            mem = new long[maxPoints];
        }

        synchronized void add(long millis, double cpuPercent, long memBytes) {
            if (count == at.length) {
                halve();
            }
            pending++;
            pendingAt = millis;
            pendingCpu += cpuPercent;
            pendingMem = Math.max(pendingMem, memBytes);
            if (pending < stride) {
                return;
            }
            at[count] = millis;
            cpu[count] = pendingCpu / pending;
            mem[count] = pendingMem;
            count++;
            pending = 0;
            pendingCpu = 0;
            pendingMem = 0;
        }

        /** Merges neighbouring points in pairs (each pair stands for the same number of samples). */
        private void halve() {
            for (int i = 0; i < count / 2; i++) {
                at[i] = at[2 * i + 1];
                cpu[i] = (cpu[2 * i] + cpu[2 * i + 1]) / 2;
                mem[i] = Math.max(mem[2 * i], mem[2 * i + 1]);
            }
            count /= 2;
            stride *= 2;
        }

        synchronized List<Sample> points() {
            List<Sample> out = new ArrayList<>(count + 1);
            for (int i = 0; i < count; i++) {
                out.add(new Sample(Instant.ofEpochMilli(at[i]), cpu[i], mem[i]));
            }
            if (pending > 0) {
                out.add(new Sample(Instant.ofEpochMilli(pendingAt), pendingCpu / pending, pendingMem));
            }
            return out;
        }
    }
}
