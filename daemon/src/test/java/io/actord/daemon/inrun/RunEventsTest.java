package io.actord.daemon.inrun;

import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunOptions;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.run.RunUsage;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunEventsTest {
    private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @Test
    void shouldReportAllEightSystemInfoFieldsFromTheCgroupSamples() {
        RunUsage usage = RunUsage.NONE.withSample(100L << 20, 120L << 20, 500_000, 1_000_000)
                .withSample(200L << 20, 0, 250_000, 1_000_000);
        Map<String, Object> info = RunEvents.systemInfo(run(1024, usage), START.plusSeconds(2));
        assertEquals(List.of("createdAt", "cpuCurrentUsage", "isCpuOverloaded", "memCurrentBytes", "memAvgBytes",
                "memMaxBytes", "cpuAvgUsage", "cpuMaxUsage", "memTotalBytes"), List.copyOf(info.keySet()));
        assertEquals(25.0, (double) info.get("cpuCurrentUsage"), 1e-9);
        assertEquals(50.0, (double) info.get("cpuMaxUsage"), 1e-9);
        assertEquals(37.5, (double) info.get("cpuAvgUsage"), 1e-9, "750 ms of CPU in 2 s");
        assertEquals(200L << 20, info.get("memCurrentBytes"));
        assertEquals(150.0 * (1 << 20), (double) info.get("memAvgBytes"), 1e-6);
        assertEquals(200L << 20, info.get("memMaxBytes"));
        assertEquals(1024L << 20, info.get("memTotalBytes"));
    }

    @Test
    void shouldCallARunOverloadedAbove95PercentOfItsDedicatedCores() {
        RunUsage busy = RunUsage.NONE.withSample(0, 0, 240_000, 1_000_000);
        assertTrue((boolean) RunEvents.systemInfo(run(1024, busy), START.plusSeconds(1)).get("isCpuOverloaded"),
                "24 % of a core is over 95 % of the 0.25 cores of 1024 MB");
        assertFalse((boolean) RunEvents.systemInfo(run(4096, busy), START.plusSeconds(1)).get("isCpuOverloaded"));
    }

    private static Run run(int memoryMb, RunUsage usage) {
        return new Run.Builder().id("runIdAAAAAAAAAAAA").actId("actIdAAAAAAAAAAAA").userId("userIdAAAAAAAAAAA")
                .build("buildIdAAAAAAAAAA", "0.0.1").status(RunStatus.RUNNING, null).startedAt(START)
                .options(RunOptions.of("latest", 0, memoryMb))
                .storages("kvsIdAAAAAAAAAAAA", "dsIdAAAAAAAAAAAAA", "rqIdAAAAAAAAAAAAA").containerUrlToken("t")
                .origin("API").usage(usage).build();
    }
}
