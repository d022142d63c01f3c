package io.actord.cgroups;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CgroupConfigTest {
    @ParameterizedTest
    @ValueSource(strings = {"/", "/system.slice/actord-runs.service", "/a/b.c/d"})
    void shouldAcceptAbsoluteParents(String parent) {
        assertEquals(Optional.of(parent), new CgroupConfig("actord", Optional.of(parent)).parent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "system.slice", "/a/", "//a", "/a/../b", "/..", "/a/.", "/./a"})
    void shouldRejectParentsThatAreNotPlainAbsolutePaths(String parent) {
        assertThrows(IllegalArgumentException.class, () -> new CgroupConfig("actord", Optional.of(parent)));
    }

    @Test
    void shouldDefaultToTheOwnCgroup() {
        assertEquals(Optional.empty(), CgroupConfig.defaults().parent());
    }
}
