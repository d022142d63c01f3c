package io.actord.daemon.run;

import io.actord.daemon.state.Batch;
import io.actord.daemon.state.CloseableIterator;
import io.actord.daemon.state.Entry;
import io.actord.daemon.state.KeyRange;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.state.StateUnavailableException;
import io.actord.daemon.state.Table;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Each run's CPU and memory over time, for the console's chart: the cgroup samples the run's supervisor
 * takes (about one a second), kept in the state store ({@link RunTables#RUN_SAMPLES}) so a restarted daemon
 * still shows them, and deleted with the run.
 *
 * <p>Bounded twice. Per run, at most {@link #MAX_POINTS} points: when a series is full, neighbouring points
 * are merged in pairs and each later point stands for twice as many samples, so a long run keeps its whole
 * history at a coarser resolution. A merged point has the mean CPU (CPU time is preserved) and the highest
 * memory (peaks stay visible: they are what an OOM kill follows). Across runs, the series of the
 * {@link #MAX_RUNS} runs sampled or read most recently are cached in memory; the others are read back from
 * the store when asked for. Writes stay small: a sample rewrites only the point it goes into (unsynced: a
 * crash may lose the last few), and a merge rewrites the run's points in one batch. Thread-safe.
 */
public final class RunSamples {
    private static final Logger LOG = LoggerFactory.getLogger(RunSamples.class);
    public static final int MAX_POINTS = 600;
    public static final int MAX_RUNS = 256;

    /**
     * One point: at {@code createdAt}, CPU use in % of one core and the memory charge, as in the
     * {@code systemInfo} event's fields of the same names.
     */
    public record Sample(Instant createdAt, double cpuCurrentUsage, long memCurrentBytes) {
    }

    private final StateStore store;
    private final Table<RunSampleKey, byte[]> table;
    private final int maxPoints;
    private final Map<String, Series> series;

    public RunSamples(StateStore store) {
        this(store, MAX_POINTS, MAX_RUNS);
    }

    RunSamples(StateStore store, int maxPoints, int maxRuns) {
        if (maxPoints < 2 || maxPoints % 2 != 0) {
            throw new IllegalArgumentException("maxPoints must be even and at least 2, got " + maxPoints);
        }
        this.store = store;
        this.table = store.table(RunTables.RUN_SAMPLES);
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
        series(runId).add(at.toEpochMilli(), cpuPercent, memBytes);
    }

    /**
     * The run's points, oldest first, the last one possibly standing for fewer samples than the others (so
     * the newest sample always shows); empty when it has none. */
    public List<Sample> of(String runId) {
        return series(runId).points();
    }

    /** Adds the deletion of the run's points to {@code batch} (the run's deletion) and forgets them here. */
    public void deleteInBatch(Batch batch, String runId) {
        table.deletePrefixInBatch(batch, RunSampleKey.ofRun(runId));
        synchronized (series) {
            series.remove(runId);
        }
    }

    private Series series(String runId) {
        synchronized (series) {
            return series.computeIfAbsent(runId, this::load);
        }
    }

    private Series load(String runId) {
        Series s = new Series(runId, maxPoints);
        try (CloseableIterator<Entry<RunSampleKey, byte[]>> it = table.scan(KeyRange.of(RunSampleKey.ofRun(runId)))) {
            while (it.hasNext()) {
                ByteBuffer point = ByteBuffer.wrap(it.next().value());
                s.restore(point.getLong(), point.getDouble(), point.getLong(), point.getInt());
            }
        }
        return s;
    }

    /**
     * One run's points in parallel arrays, plus the samples not yet making up a whole point. The arrays start small
     * and double up to the most points a run keeps, so the cached series of short runs stay small.
     */
    private final class Series {
        private static final int FIRST_CAPACITY = 16;
        private final String runId;
        private final int maxPoints;
        private long[] at;
        private double[] cpu;
        private long[] mem;
        private int count;
        /** How many samples each new point stands for. */
        private int stride = 1;
        private int pending;
        private long pendingAt;
        private double pendingCpu;
        private long pendingMem;

        Series(String runId, int maxPoints) {
            this.runId = runId;
            this.maxPoints = maxPoints;
            int capacity = Math.min(FIRST_CAPACITY, maxPoints);
            at = new long[capacity];
            cpu = new double[capacity];
            mem = new long[capacity];
        }

        /** Room for one more point (below the most a run keeps, which {@link #halve} makes room under). */
        private void ensureRoom() {
            if (count == at.length && count < maxPoints) {
                int capacity = Math.min(maxPoints, 2 * at.length);
                at = Arrays.copyOf(at, capacity);
                cpu = Arrays.copyOf(cpu, capacity);
                mem = Arrays.copyOf(mem, capacity);
            }
        }

        synchronized void add(long millis, double cpuPercent, long memBytes) {
            boolean halved = count == maxPoints;
            if (halved) {
                halve();
            }
            ensureRoom();
            pending++;
            pendingAt = millis;
            pendingCpu += cpuPercent;
            pendingMem = Math.max(pendingMem, memBytes);
            int index = count;
            byte[] point = encode(pendingAt, pendingCpu / pending, pendingMem, pending);
            if (pending == stride) {
                at[count] = millis;
                cpu[count] = pendingCpu / pending;
                mem[count] = pendingMem;
                count++;
                pending = 0;
                pendingCpu = 0;
                pendingMem = 0;
            }
            try {
                store.writeUnsynced(b -> {
                    if (halved) {
                        table.deletePrefixInBatch(b, RunSampleKey.ofRun(runId));
                        for (int i = 0; i < index; i++) {
                            table.putInBatch(b, new RunSampleKey(runId, i), encode(at[i], cpu[i], mem[i], stride));
                        }
                    }
                    table.putInBatch(b, new RunSampleKey(runId, index), point);
                });
            } catch (StateUnavailableException e) {
                LOG.warn("run={} usage sample not stored: {}", runId, e.getMessage());
            }
        }

        /** Puts back a stored point, in order: whole points stand for {@code stride} samples, as the first does. */
        void restore(long millis, double cpuPercent, long memBytes, int samples) {
            if (count == 0 && pending == 0) {
                stride = samples;
            }
            if (samples < stride) {
                pending = samples;
                pendingAt = millis;
                pendingCpu = cpuPercent * samples;
                pendingMem = memBytes;
                return;
            }
            ensureRoom();
            at[count] = millis;
            cpu[count] = cpuPercent;
            mem[count] = memBytes;
            count++;
        }

        private static byte[] encode(long millis, double cpuPercent, long memBytes, int samples) {
            return ByteBuffer.allocate(28).putLong(millis).putDouble(cpuPercent).putLong(memBytes).putInt(samples)
                    .array();
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
