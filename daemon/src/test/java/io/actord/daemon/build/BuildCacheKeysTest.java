package io.actord.daemon.build;

import io.actord.daemon.image.Digest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The cache keys: each part of a step's key changes it, and the image key follows the layer a step made. */
class BuildCacheKeysTest {
    private static final Digest A = Digest.of("a".getBytes(StandardCharsets.UTF_8));
    private static final Digest B = Digest.of("b".getBytes(StandardCharsets.UTF_8));
    private static final List<Object> RUN = List.of("RUN", List.of("/bin/sh", "-c", "npm ci"), Map.of("A", "1"), "/app",
            "");

    @Test
    void shouldKeyABaseImageByItsLayers() {
        assertEquals(BuildCache.baseKey(List.of(A, B)), BuildCache.baseKey(List.of(A, B)));
        assertNotEquals(BuildCache.baseKey(List.of(A, B)), BuildCache.baseKey(List.of(B, A)));
        assertNotEquals(BuildCache.baseKey(List.of()), BuildCache.baseKey(List.of(A)));
    }

    @Test
    void shouldChangeAStepKeyWithItsParentInstructionOrInputs() {
        String base = BuildCache.baseKey(List.of(A));
        String key = BuildCache.stepKey(base, RUN, "");
        assertEquals(key, BuildCache.stepKey(base, RUN, ""));
        assertNotEquals(key, BuildCache.stepKey(BuildCache.baseKey(List.of(B)), RUN, ""));
        assertNotEquals(key, BuildCache.stepKey(base, List.of("RUN", List.of("/bin/sh", "-c", "npm ci"),
                Map.of("A", "2"), "/app", ""), ""), "an ARG or ENV value the step sees");
        assertNotEquals(key, BuildCache.stepKey(base, RUN, "inputs"));
    }

    @Test
    void shouldKeyTheImageAfterAStepByTheLayerItMade() {
        String step = BuildCache.stepKey(BuildCache.baseKey(List.of(A)), RUN, "");
        assertNotEquals(BuildCache.imageKey(step, Optional.of(A)), BuildCache.imageKey(step, Optional.of(B)),
                "a step that made another layer (not reproducible) changes the keys above it");
        assertNotEquals(BuildCache.imageKey(step, Optional.empty()), BuildCache.imageKey(step, Optional.of(A)));
    }
}
