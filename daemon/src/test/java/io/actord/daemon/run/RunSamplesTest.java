package io.actord.daemon.run;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunSamplesTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void shouldKeepEverySampleWhileThereIsRoom() {
        RunSamples samples = new RunSamples(4, 8);
        samples.add("r", T0, 10, 100);
        samples.add("r", T0.plusSeconds(1), 20, 50);
        assertEquals(List.of(new RunSamples.Sample(T0, 10, 100), new RunSamples.Sample(T0.plusSeconds(1), 20, 50)),
                samples.of("r"));
        assertEquals(List.of(), samples.of("other"));
    }

    @Test
    void shouldMergeNeighboursWhenFullKeepingMeanCpuAndPeakMemory() {
        RunSamples samples = new RunSamples(4, 8);
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
        RunSamples samples = new RunSamples(6, 8);
        for (int i = 0; i < 10_000; i++) {
            samples.add("r", T0.plusSeconds(i), 1, i);
        }
        List<RunSamples.Sample> points = samples.of("r");
        assertTrue(points.size() <= 7, points.toString());
        assertEquals(9_999, points.get(points.size() - 1).memCurrentBytes(), "the newest sample is always shown");
    }

    @Test
    void shouldForgetTheRunsUsedLeastRecently() {
        RunSamples samples = new RunSamples(4, 2);
        samples.add("a", T0, 1, 1);
        samples.add("b", T0, 1, 1);
        samples.of("a");
        samples.add("c", T0, 1, 1);
        assertEquals(1, samples.of("a").size());
        assertEquals(List.of(), samples.of("b"));
        assertEquals(1, samples.of("c").size());
    }

    @Test
    void shouldRefuseAnOddPointLimit() {
        assertThrows(IllegalArgumentException.class, () -> new RunSamples(5, 1));
    }
}
