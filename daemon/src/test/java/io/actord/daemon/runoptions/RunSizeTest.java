package io.actord.daemon.runoptions;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sizing rule (moved here from the cgroups module's Resources with its tests, #19). */
class RunSizeTest {
    private static final long MB = 1024 * 1024;

    @ParameterizedTest
    @CsvSource({"128,3125", "1024,25000", "4096,100000", "8192,200000", "32768,800000"})
    void shouldGiveOneCorePer4096MbOfMemory(long memoryMb, long quotaMicros) {
        RunSize size = RunSize.of(memoryMb);

        assertEquals(OptionalLong.of(quotaMicros), size.resources().cpu().quotaMicros());
        assertEquals(100_000, size.resources().cpu().periodMicros());
        assertEquals(memoryMb / 4096.0, size.cpuCores(), 1e-9);
    }

    @Test
    void shouldSizeMemoryDiskAndPidsFromMemory() {
        RunSize size = RunSize.of(1024);

        assertEquals(OptionalLong.of(1024 * MB), size.resources().memory().bytes());
        assertEquals(OptionalLong.of(2048 * MB), size.disk().bytes());
        assertEquals(2048, size.diskMbytes());
        assertEquals(OptionalLong.of(RunSize.PIDS), size.resources().pids().max());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 64, 100, 127, 129, 1000, 3072, 65536, -128, 1L << 32})
    void shouldRejectMemoryThatIsNotAnAllowedPowerOfTwo(long memoryMb) {
        var e = assertThrows(ApiException.class, () -> RunSize.of(memoryMb));

        assertEquals(ErrorType.INVALID_VALUE, e.type());
        assertTrue(e.getMessage().contains("128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got " + memoryMb), e.getMessage());
    }

    @Test
    void shouldListEveryAllowedSizeSmallestFirst() {
        assertEquals(9, RunSize.all().size());
        assertEquals(128, RunSize.all().get(0).memoryMbytes());
        assertEquals(32768, RunSize.all().get(8).memoryMbytes());
    }
}
