package io.actord.daemon.runlog;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** tail and since of a run's log: whole lines, by their timestamps. */
class LogWindowTest {
    private static final String LOG = """
            2026-12-07T09:00:00.000Z ACTOR: started
            2026-12-07T09:00:01.000Z one
            2026-12-07T09:05:00.000Z two
            continued without a timestamp
            2026-12-07T09:10:00.000Z three
            """;

    private static String window(Long tail, String since) {
        LogWindow w = new LogWindow(tail == null ? OptionalLong.empty() : OptionalLong.of(tail),
                Optional.ofNullable(since).map(Instant::parse));
        return new String(w.apply(LOG.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void shouldKeepTheLastLines() {
        assertEquals("2026-12-07T09:10:00.000Z three\n", window(1L, null));
        assertEquals("continued without a timestamp\n2026-12-07T09:10:00.000Z three\n", window(2L, null));
        assertEquals(LOG, window(99L, null));
        assertEquals("", window(0L, null));
    }

    @Test
    void shouldKeepTheLinesSinceATimeWithTheirContinuations() {
        assertEquals("2026-12-07T09:05:00.000Z two\ncontinued without a timestamp\n2026-12-07T09:10:00.000Z three\n",
                window(null, "2026-12-07T09:05:00Z"));
        assertEquals(LOG, window(null, "2026-12-07T08:00:00Z"));
        assertEquals("", window(null, "2026-12-07T10:00:00Z"));
        assertEquals("2026-12-07T09:10:00.000Z three\n", window(1L, "2026-12-07T09:00:00Z"));
    }

    @Test
    void shouldCountAnUnfinishedLastLine() {
        byte[] log = "2026-12-07T09:00:00.000Z a\n2026-12-07T09:00:01.000Z b".getBytes(StandardCharsets.UTF_8);
        LogWindow last = new LogWindow(OptionalLong.of(1), Optional.empty());
        assertEquals("2026-12-07T09:00:01.000Z b", new String(last.apply(log), StandardCharsets.UTF_8));
    }

    @Test
    void shouldApplyTheWindowToWhatAFollowerGetsFirstOnly() {
        List<String> got = new ArrayList<>();
        LogFollower follower = new LogWindow(OptionalLong.of(1), Optional.empty()).following(new LogFollower() {
            @Override
            public void chunk(byte[] bytes) {
                got.add(new String(bytes, StandardCharsets.UTF_8));
            }

            @Override
            public void end() {
                got.add("end");
            }
        });
        follower.chunk(LOG.getBytes(StandardCharsets.UTF_8));
        follower.chunk("2026-12-07T09:11:00.000Z four\n2026-12-07T09:12:00.000Z five\n".getBytes(StandardCharsets.UTF_8));
        follower.end();
        assertEquals(List.of("2026-12-07T09:10:00.000Z three\n",
                "2026-12-07T09:11:00.000Z four\n2026-12-07T09:12:00.000Z five\n", "end"), got);
    }
}
