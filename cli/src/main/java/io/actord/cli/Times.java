package io.actord.cli;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A point in time as {@code --since} and {@code --until} take it, as docker's do: an RFC 3339 time
 * ({@code 2026-12-07T09:00:00Z}, an offset, or a date alone, meaning its midnight UTC), or a duration back from
 * now in Go's style ({@code 90s}, {@code 10m}, {@code 1h30m}, {@code 7d}).
 */
public final class Times {
    private static final Pattern DURATION = Pattern.compile("(?:\\d+(?:ms|s|m|h|d))+");
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private Times() {
    }

    /**
     * The instant {@code value} stands for, durations counted back from {@code now}.
     *
     * @param what names the option in errors ("--since")
     */
    public static Instant parse(String value, Instant now, String what) {
        String v = value.trim();
        if (DURATION.matcher(v).matches()) {
            return now.minus(duration(v, what));
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException notADateTime) {
            try {
                return LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException notADate) {
                throw new CliException(what + " '" + value + "' is neither a duration (10m, 1h30m, 7d) nor an RFC 3339"
                        + " time (2026-12-07T09:00:00Z, 2026-12-07)");
            }
        }
    }

    private static Duration duration(String v, String what) {
        Duration total = Duration.ZERO;
        Matcher m = PART.matcher(v);
        try {
            while (m.find()) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                });
            }
        } catch (ArithmeticException | NumberFormatException e) {
            throw new CliException(what + " '" + v + "' is too long a duration");
        }
        return total;
    }
}
