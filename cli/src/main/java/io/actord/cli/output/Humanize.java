package io.actord.cli.output;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times, durations and sizes as people read them: "3m ago", "1m 12s", "64 MB". */
public final class Humanize {
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

    private Humanize() {
    }

    /** "just now", "42s ago", "5m ago", "3h ago", "2d ago"; a time in the future reads "in 5m". */
    public static String ago(Instant then, Instant now) {
        if (then == null) {
            return "-";
        }
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            return d.abs().toSeconds() < 1 ? "just now" : "in " + shortest(d.abs());
        }
        return d.toSeconds() < 1 ? "just now" : shortest(d) + " ago";
    }

    /** The largest whole unit: "42s", "5m", "3h", "2d". */
    static String shortest(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }

    /** "850ms", "12.4s", "3m 12s", "2h 5m", "3d 4h". */
    public static String duration(long millis) {
        if (millis < 0) {
            return "-";
        }
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long s = millis / 1000;
        if (s < 3600) {
            return s / 60 + "m " + s % 60 + "s";
        }
        if (s < 86400) {
            return s / 3600 + "h " + s % 3600 / 60 + "m";
        }
        return s / 86400 + "d " + s % 86400 / 3600 + "h";
    }

    /** A clock reading: "1:05" (m:ss) or "2:01:05" (h:mm:ss), for the live status line. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 3600 ? String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s % 3600 / 60, s % 60);
    }

    /** Bytes in Apify's units (1 MB = 2^20 bytes, as in memoryMbytes): "512 B", "12.5 KB", "64.0 MB", "1.50 GB". */
    public static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / (1024.0 * 1024 * 1024));
    }

    /** A local date and time to the second. */
    public static String timestamp(Instant t, ZoneId zone) {
        return t == null ? "-" : TIMESTAMP.format(t.atZone(zone));
    }
}
