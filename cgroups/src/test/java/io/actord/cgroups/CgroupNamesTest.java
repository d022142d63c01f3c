package io.actord.cgroups;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CgroupNamesTest {
    @ParameterizedTest
    @ValueSource(strings = {"actord", "run-Abc123", "HG7ML7M8z78YcAPEB", "a.b_c"})
    void shouldAcceptSafeNames(String name) {
        assertEquals(name, CgroupNames.check(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/b", "../x", "cgroup.procs", "memory.max", "tasks", "-x", "a b"})
    void shouldRejectNamesThatEscapeOrShadowKernelFiles(String name) {
        assertThrows(IllegalArgumentException.class, () -> CgroupNames.check(name));
    }
}
