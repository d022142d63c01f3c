package io.actord.daemon.run;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.state.RocksStateStore;
import io.actord.daemon.state.StateStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSamplesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    StateStore store;

    @BeforeEach
    void open() {
        store = RocksStateStore.open(dir, ActorDaemon.TABLES);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void shouldKeepEverySampleWhileThereIsRoom() {
        RunSamples samples = new RunSamples(store, 4, 8);
        samples.add("r", T0, 10, 100);
        samples.add("r", T0.plusSeconds(1), 20, 50);
        assertEquals(List.of(new RunSamples.Sample(T0, 10, 100), new RunSamples.Sample(T0.plusSeconds(1), 20, 50)),
                samples.of("r"));
        assertEquals(List.of(), samples.of("other"));
    }

    @Test
    void shouldMergeNeighboursWhenFullKeepingMeanCpuAndPeakMemory() {
        RunSamples samples = new RunSamples(store, 4, 8);
        for (int i = 0; i < 4; i++) {
            samples.add("r", T0.plusSeconds(i), i * 10, i == 1 ? 999 : i);
        }
        samples.add("r", T0.plusSeconds(4), 40, 4);
        List<RunSamples.Sample> points = samples.of("r");
        // Two merged points (of 2 samples each), then the newest sample on its own (half a point so far).
        assertEquals(3, points.size(), points.toString());
        assertEquals(new RunSamples.Sample(T0.plusSeconds(1), 5, 999), points.get(0));
        assertEquals(new RunSamples.Sample(T0.plusSeconds(3), 25, 3), points.get(1));
        assertEquals(new RunSamples.Sample(T0.plusSeconds(4), 40, 4), points.get(2));
        samples.add("r", T0.plusSeconds(5), 60, 7);
        assertEquals(List.of(points.get(0), points.get(1), new RunSamples.Sample(T0.plusSeconds(5), 50, 7)),
                samples.of("r"));
    }

    @Test
    void shouldStayBoundedOverALongRun() {
        RunSamples samples = new RunSamples(store, 6, 8);
        for (int i = 0; i < 10_000; i++) {
            samples.add("r", T0.plusSeconds(i), 1, i);
        }
        List<RunSamples.Sample> points = samples.of("r");
        assertTrue(points.size() <= 7, points.toString());
        assertEquals(9_999, points.get(points.size() - 1).memCurrentBytes(), "the newest sample is always shown");
    }

    /** The arrays start small and grow (#24: short runs' cached series stay small); nothing is lost on the way. */
    @Test
    void shouldKeepEveryPointWhileGrowingToTheCapAndStayBoundedAfter() {
        RunSamples samples = new RunSamples(store);
        for (int i = 0; i < RunSamples.MAX_POINTS; i++) {
            samples.add("r", T0.plusSeconds(i), i % 100, i);
        }
        List<RunSamples.Sample> points = samples.of("r");
        assertEquals(RunSamples.MAX_POINTS, points.size());
        for (int i = 0; i < RunSamples.MAX_POINTS; i++) {
            assertEquals(new RunSamples.Sample(T0.plusSeconds(i), i % 100, i), points.get(i));
        }
        for (int i = RunSamples.MAX_POINTS; i < 3 * RunSamples.MAX_POINTS; i++) {
            samples.add("r", T0.plusSeconds(i), i % 100, i);
        }
        points = samples.of("r");
        assertTrue(points.size() <= RunSamples.MAX_POINTS + 1, "points: " + points.size());
        assertEquals(3 * RunSamples.MAX_POINTS - 1, points.get(points.size() - 1).memCurrentBytes());
        assertEquals(points, new RunSamples(store).of("r"), "read back from the store, the series grows the same");
    }

    @Test
    void shouldReadTheRunsNoLongerCachedBackFromTheStore() {
        RunSamples samples = new RunSamples(store, 4, 2);
        samples.add("a", T0, 1, 1);
        samples.add("b", T0, 2, 2);
        samples.of("a");
        samples.add("c", T0, 3, 3);
        assertEquals(List.of(new RunSamples.Sample(T0, 2, 2)), samples.of("b"));
        assertEquals(1, samples.of("a").size());
        assertEquals(1, samples.of("c").size());
    }

    @Test
    void shouldGoOnAfterARestartAsIfThereHadBeenNone() {
        try (StateStore other = RocksStateStore.open(dir.resolve("other"), ActorDaemon.TABLES)) {
            RunSamples before = new RunSamples(store, 4, 8);
            RunSamples uninterrupted = new RunSamples(other, 4, 8);
            for (int i = 0; i < 11; i++) {
                before.add("r", T0.plusSeconds(i), i, i * 3L % 7);
                uninterrupted.add("r", T0.plusSeconds(i), i, i * 3L % 7);
            }

            RunSamples after = new RunSamples(store, 4, 8);

            assertEquals(uninterrupted.of("r"), after.of("r"));
            assertEquals(3, after.of("r").size(), "two merged points and the unfinished third come back");
            for (int i = 11; i < 30; i++) {
                after.add("r", T0.plusSeconds(i), i, i);
                uninterrupted.add("r", T0.plusSeconds(i), i, i);
            }
            assertEquals(uninterrupted.of("r"), after.of("r"), "the stride and the unfinished point were restored");
        }
    }

    @Test
    void shouldKeepAtMostTheCapOfPointsInTheStore() {
        RunSamples samples = new RunSamples(store, 6, 8);
        for (int i = 0; i < 1_000; i++) {
            samples.add("r", T0.plusSeconds(i), 1, i);
        }
        long stored = store.table(RunTables.RUN_SAMPLES).count(RunSampleKey.ofRun("r"));
        assertTrue(stored <= 6, "stored points: " + stored);
        assertEquals(samples.of("r").size(), stored);
    }

    @Test
    void shouldDeleteARunsPointsAndOnlyThose() {
        RunSamples samples = new RunSamples(store, 4, 8);
        samples.add("r", T0, 1, 1);
        samples.add("r1", T0, 2, 2);

        store.write(b -> samples.deleteInBatch(b, "r"));

        assertEquals(List.of(), samples.of("r"));
        assertEquals(List.of(), new RunSamples(store, 4, 8).of("r"));
        assertEquals(List.of(new RunSamples.Sample(T0, 2, 2)), new RunSamples(store, 4, 8).of("r1"));
    }

    @Test
    void shouldRefuseAnOddPointLimit() {
        assertThrows(IllegalArgumentException.class, () -> new RunSamples(store, 5, 1));
    }
}
