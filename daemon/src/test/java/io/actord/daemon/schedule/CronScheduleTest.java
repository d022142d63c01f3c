package io.actord.daemon.schedule;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronScheduleTest {
    private static final Instant AT = Instant.parse("2026-03-28T10:15:30Z");

    @ParameterizedTest(name = "{0} in {1}")
    @CsvSource(delimiter = '|', value = {
        "* * * * *        | UTC           | 2026-03-28T10:16:00Z",
        "*/5 * * * *      | UTC           | 2026-03-28T10:20:00Z",
        "0 9 * * *        | Europe/Prague | 2026-03-29T07:00:00Z",
        "0 9 * * MON-FRI  | UTC           | 2026-03-30T09:00:00Z",
        "0 0 * * 7        | UTC           | 2026-03-29T00:00:00Z",
        "30 * * * * *     | UTC           | 2026-03-28T10:16:30Z",
        "@hourly          | UTC           | 2026-03-28T11:00:00Z",
        "@daily           | America/New_York | 2026-03-29T04:00:00Z",
        "@weekly          | UTC           | 2026-03-29T00:00:00Z",
        "@monthly         | UTC           | 2026-04-01T00:00:00Z",
        "@yearly          | UTC           | 2027-01-01T00:00:00Z",
    })
    void shouldGiveTheNextFireTimeInTheZone(String cron, String zone, String next) {
        assertEquals(Optional.of(Instant.parse(next)), CronSchedule.parse(cron, zone).next(AT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "60 * * * *", "* 24 * * *", "* * 32 * *", "* * * 13 *", "* * * * 8", "* * * *",
        "* * * * * * *", "@often", "a b c d e", "*/0 * * * *", "\u0000 * * * *", "1-2-3 * * * *"})
    void shouldRefuseWhatIsNotCron(String cron) {
        ApiException e = assertThrows(ApiException.class, () -> CronSchedule.parse(cron, "UTC"));
        assertEquals(ErrorType.INVALID_INPUT, e.type());
        assertTrue(e.getMessage().contains("cronExpression"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"Mars/Olympus", "+01:00", "GMT+1", "utc", "Europe/prague", ""})
    void shouldRefuseWhatIsNotAnIanaZone(String zone) {
        ApiException e = assertThrows(ApiException.class, () -> CronSchedule.parse("* * * * *", zone));
        assertEquals(ErrorType.INVALID_INPUT, e.type());
        assertTrue(e.getMessage().contains("timezone"), e.getMessage());
    }

    @Test
    void shouldSayWhenAnExpressionNeverFires() {
        assertEquals(Optional.empty(), CronSchedule.parse("0 0 30 2 *", "UTC").next(AT));
    }
}
