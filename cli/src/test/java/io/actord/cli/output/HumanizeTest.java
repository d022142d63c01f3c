package io.actord.cli.output;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HumanizeTest {
    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");

    @Test
    void shouldSayHowLongAgo() {
        assertEquals("just now", Humanize.ago(NOW.minusMillis(300), NOW));
        assertEquals("42s ago", Humanize.ago(NOW.minusSeconds(42), NOW));
        assertEquals("5m ago", Humanize.ago(NOW.minusSeconds(5 * 60 + 59), NOW));
        assertEquals("3h ago", Humanize.ago(NOW.minus(Duration.ofHours(3)), NOW));
        assertEquals("2d ago", Humanize.ago(NOW.minus(Duration.ofDays(2)), NOW));
        assertEquals("in 5m", Humanize.ago(NOW.plusSeconds(300), NOW));
        assertEquals("-", Humanize.ago(null, NOW));
    }

    @Test
    void shouldFormatDurationsAndClocks() {
        assertEquals("850ms", Humanize.duration(850));
        assertEquals("12.4s", Humanize.duration(12_400));
        assertEquals("3m 12s", Humanize.duration(192_000));
        assertEquals("2h 5m", Humanize.duration(Duration.ofMinutes(125).toMillis()));
        assertEquals("3d 4h", Humanize.duration(Duration.ofHours(76).toMillis()));
        assertEquals("0:07", Humanize.clock(Duration.ofSeconds(7)));
        assertEquals("1:02:03", Humanize.clock(Duration.ofSeconds(3723)));
    }

    @Test
    void shouldFormatSizesInApifysMegabytes() {
        assertEquals("512 B", Humanize.bytes(512));
        assertEquals("2.0 KB", Humanize.bytes(2048));
        assertEquals("64.0 MB", Humanize.bytes(64L << 20));
        assertEquals("1.50 GB", Humanize.bytes(3L << 29));
        assertEquals("2026-11-28 12:00:00", Humanize.timestamp(NOW, ZoneOffset.UTC));
    }
}
