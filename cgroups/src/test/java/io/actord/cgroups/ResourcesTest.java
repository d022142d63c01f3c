package io.actord.cgroups;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertThrows;

class ResourcesTest {
    @Test
    void shouldRefuseQuotaBelowTheKernelMinimum() {
        assertThrows(IllegalArgumentException.class, () -> CpuLimit.ofQuota(999));
    }
}
