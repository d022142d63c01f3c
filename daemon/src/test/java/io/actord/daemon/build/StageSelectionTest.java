package io.actord.daemon.build;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which stages a build needs: the last and what it starts from or copies from, transitively. */
class StageSelectionTest {
    private static List<Integer> needed(String dockerfile, Map<String, String> args) {
        Dockerfile parsed = DockerfileParser.parse(dockerfile);
        return List.copyOf(StageSelection.needed(parsed, new BuildArgs(parsed, args)));
    }

    @Test
    void shouldBuildTheLastStageAndWhatItCopiesFrom() {
        assertEquals(List.of(0, 2), needed("""
                FROM base AS deps
                FROM base AS tests
                FROM base
                COPY --from=deps /a /a
                """, Map.of()));
    }

    @Test
    void shouldFollowBaseStagesAndIndexesTransitively() {
        assertEquals(List.of(0, 1, 3), needed("""
                FROM base AS one
                FROM one AS two
                FROM base AS unused
                FROM base
                COPY --from=1 /a /a
                """, Map.of()));
    }

    @Test
    void shouldResolveAFromWithTheGlobalArgs() {
        assertEquals(List.of(1, 2), needed("""
                ARG SRC=b
                FROM base AS a
                FROM base AS b
                FROM base
                COPY --from=${SRC} /x /x
                """, Map.of()));
        assertEquals(List.of(0, 2), needed("""
                ARG SRC=b
                FROM base AS a
                FROM base AS b
                FROM base
                COPY --from=${SRC} /x /x
                """, Map.of("SRC", "a")));
    }
}
