package io.actord.daemon.webhook;

import io.actord.daemon.DaemonConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookRetriesTest {
    @Test
    void shouldRetryElevenTimesOverAbout32HoursByDefault() {
        WebhookRetries apify = DaemonConfig.parse().webhookRetries();
        assertEquals(WebhookRetries.APIFY, apify);
        assertEquals(12, apify.attempts(true));
        assertEquals(1, apify.attempts(false));
        assertEquals(Duration.ofMinutes(1), apify.delayAfter(1));
        assertEquals(Duration.ofMinutes(2), apify.delayAfter(2));
        Duration all = Duration.ZERO;
        for (int failed = 1; failed <= apify.retries(); failed++) {
            all = all.plus(apify.delayAfter(failed));
        }
        assertEquals(Duration.ofMinutes(2047), all);
        assertTrue(all.toHours() >= 32 && all.toHours() <= 35, all.toString());
    }

    @Test
    void shouldTakeTheScheduleFromFlags() {
        WebhookRetries r = DaemonConfig.parse("--webhook-retries", "2", "--webhook-first-retry-ms", "10")
                .webhookRetries();
        assertEquals(3, r.attempts(true));
        assertEquals(Duration.ofMillis(20), r.delayAfter(2));
    }
}
