package io.actord.daemon.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A cron expression in a time zone, as Apify's schedules take it: Unix cron's five fields (minute hour
 * day-of-month month day-of-week), or six with seconds first, or a shortcut ({@code @hourly}, {@code @daily} ...).
 * Parsing and the next fire time are cron-utils'; the time zone is an IANA id ({@code Europe/Prague}, {@code UTC}).
 */
public final class CronSchedule {
    private static final CronParser UNIX = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(
            com.cronutils.model.CronType.UNIX));
    private static final CronParser WITH_SECONDS = new CronParser(withSeconds());
    /** The shortcuts of cron(8), as the five fields they stand for. */
    private static final Map<String, String> SHORTCUTS = Map.of("@yearly", "0 0 1 1 *", "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *", "@weekly", "0 0 * * 0", "@daily", "0 0 * * *", "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");
    private static final int MAX_LENGTH = 200;

    private final ExecutionTime times;
    private final ZoneId zone;

    private CronSchedule(ExecutionTime times, ZoneId zone) {
        this.times = times;
        this.zone = zone;
    }

    /** The expression in the zone; 400 invalid-input naming what is wrong. */
    public static CronSchedule parse(String expression, String timezone) {
        return new CronSchedule(ExecutionTime.forCron(cron(expression)), zone(timezone));
    }

    /** The first fire time after {@code after}; empty when the expression never fires again (Feb 30). */
    public Optional<Instant> next(Instant after) {
        try {
            return times.nextExecution(after.atZone(zone)).map(ZonedDateTime::toInstant);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Cron cron(String expression) {
        if (expression == null || expression.isBlank()) {
            throw ScheduleRules.invalid("cronExpression is required");
        }
        if (expression.length() > MAX_LENGTH) {
            throw ScheduleRules.invalid("cronExpression is longer than " + MAX_LENGTH + " characters");
        }
        String trimmed = expression.trim();
        String fields = SHORTCUTS.getOrDefault(trimmed.toLowerCase(Locale.ROOT), trimmed);
        try {
            CronParser parser = fields.split("\\s+").length == 6 ? WITH_SECONDS : UNIX;
            return parser.parse(fields).validate();
        } catch (RuntimeException e) {
            // cron-utils reports a bad expression with IllegalArgumentException, but hostile input can reach others.
            throw ScheduleRules.invalid("cronExpression '" + expression + "' is not a cron expression (five"
                    + " fields: minute hour day-of-month month day-of-week, six with seconds first, or @hourly,"
                    + " @daily, @weekly, @monthly, @yearly): " + e.getMessage());
        }
    }

    private static ZoneId zone(String timezone) {
        if (timezone == null) {
            return ZoneId.of("UTC");
        }
        if (!ZoneId.getAvailableZoneIds().contains(timezone)) {
            throw ScheduleRules.invalid("timezone '" + timezone + "' is not an IANA time zone such as UTC or"
                    + " Europe/Prague");
        }
        try {
            return ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw ScheduleRules.invalid("timezone '" + timezone + "': " + e.getMessage());
        }
    }

    /** Unix cron with a seconds field in front. */
    private static CronDefinition withSeconds() {
        return CronDefinitionBuilder.defineCron()
                .withSeconds().withValidRange(0, 59).withStrictRange().and()
                .withMinutes().withValidRange(0, 59).withStrictRange().and()
                .withHours().withValidRange(0, 23).withStrictRange().and()
                .withDayOfMonth().withValidRange(1, 31).withStrictRange().and()
                .withMonth().withValidRange(1, 12).withStrictRange().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0).withStrictRange()
                .and()
                .matchDayOfWeekAndDayOfMonth()
                .instance();
    }
}
