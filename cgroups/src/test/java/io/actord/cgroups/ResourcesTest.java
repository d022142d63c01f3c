package io.actord.cgroups;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResourcesTest {
    private static final long MB = 1024 * 1024;

    @ParameterizedTest
    @CsvSource({"128,3125", "1024,25000", "4096,100000", "8192,200000", "32768,800000"})
    void shouldGiveOneCorePer4096MbOfMemory(long memoryMb, long quotaMicros) {
        Resources r = Resources.forMemory(memoryMb);

        assertEquals(OptionalLong.of(quotaMicros), r.cpu().quotaMicros());
        assertEquals(100_000, r.cpu().periodMicros());
        assertEquals(memoryMb / 4096.0, r.cpu().cores(), 1e-9);
    }

    @Test
    void shouldSizeMemoryDiskAndPidsFromMemory() {
        Resources r = Resources.forMemory(1024);

        assertEquals(OptionalLong.of(1024 * MB), r.memory().bytes());
        assertEquals(OptionalLong.of(2048 * MB), r.disk().bytes());
        assertEquals(OptionalLong.of(Resources.DEFAULT_PIDS), r.pids().max());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 64, 100, 127, 129, 1000, 3072, 65536, -128})
    void shouldRejectMemoryThatIsNotAnAllowedPowerOfTwo(long memoryMb) {
        var e = assertThrows(IllegalArgumentException.class, () -> Resources.forMemory(memoryMb));

        assertTrue(e.getMessage().contains("128, 256, 512, 1024, 2048, 4096, 8192, 16384, 32768"), e.getMessage());
        assertTrue(e.getMessage().endsWith("got " + memoryMb), e.getMessage());
    }

    @Test
    void shouldRefuseQuotaBelowTheKernelMinimum() {
        assertThrows(IllegalArgumentException.class, () -> CpuLimit.ofQuota(999));
    }
}
