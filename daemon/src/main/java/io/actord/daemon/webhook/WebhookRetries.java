package io.actord.daemon.webhook;

import java.time.Duration;

/**
 * When a failed webhook request is tried again: after {@code firstRetry}, then twice as long each time, up to
 * {@code retries} times. {@link #APIFY} is the platform's schedule (a first retry after about a minute, 11 retries
 * over about 32 hours: 1 + 2 + … + 1024 minutes is 34 h 7 min); tests take a shorter first retry.
 */
public record WebhookRetries(int retries, Duration firstRetry) {
    public static final WebhookRetries APIFY = new WebhookRetries(11, Duration.ofMinutes(1));

    public WebhookRetries {
        if (retries < 0 || firstRetry.isNegative() || firstRetry.isZero()) {
            throw new IllegalArgumentException("retries must be 0 or more and firstRetry positive: " + retries
                    + ", " + firstRetry);
        }
    }

    /** How many attempts a request may take in all: one, or one plus the retries. */
    public int attempts(boolean retry) {
        return retry ? retries + 1 : 1;
    }

    /** The wait after the {@code failed}-th failed attempt (1 = the first). */
    public Duration delayAfter(int failed) {
        return firstRetry.multipliedBy(1L << Math.min(30, failed - 1));
    }
}
