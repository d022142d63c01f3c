package io.actord.daemon.webhook;

import io.actord.daemon.run.RunOwner;

import java.time.Instant;
import java.util.Map;

/**
 * One webhook request being delivered: what is sent (rendered once, when the event happened), how many attempts
 * failed so far and when the next one is due. Kept until it is delivered or given up, so a restart resumes it.
 *
 * @param id        the {@code X-Apify-Webhook-Dispatch-Id} every attempt carries, so a receiver can drop repeats
 * @param attempts  how many attempts it may take in all
 * @param lastError why the last attempt failed, or null (none failed yet; records stored before it existed)
 * @param ownerHost the host id of the daemon that sends it ({@link RunOwner}); null in records stored before it,
 *                  which every daemon that starts resumes
 * @param claimedUntil until when the attempt under way is the daemon's that claimed it (on a state database that
 *                  several daemons share, the others leave the dispatch alone until then); null when no attempt is
 *                  under way, and in records stored before it existed
 */
public record WebhookDispatch(int schemaVersion, String id, String runId, String eventType, String requestUrl,
                              String payload, Map<String, String> headers, int attempts, int failedAttempts,
                              Instant nextAttemptAt, String lastError, String ownerHost, Instant claimedUntil) {
    public static final int SCHEMA = 1;

    /** The first attempt, claimed until {@code claimedUntil} by the daemon that makes it at once. */
    static WebhookDispatch first(String id, String runId, String eventType, String requestUrl, String payload,
                                 Map<String, String> headers, int attempts, Instant now, String ownerHost,
                                 Instant claimedUntil) {
        return new WebhookDispatch(SCHEMA, id, runId, eventType, requestUrl, payload, Map.copyOf(headers), attempts, 0,
                now, null, ownerHost, claimedUntil);
    }

    /** After one more failed attempt ({@code why}), with the next one due at {@code next} and not claimed. */
    WebhookDispatch failedOnce(Instant next, String why) {
        return new WebhookDispatch(schemaVersion, id, runId, eventType, requestUrl, payload, headers, attempts,
                failedAttempts + 1, next, why, ownerHost, null);
    }

    /** Refused for good ({@code why}): no attempt is left, and the record stays to say why. */
    WebhookDispatch refused(String why) {
        return new WebhookDispatch(schemaVersion, id, runId, eventType, requestUrl, payload, headers, attempts,
                attempts, nextAttemptAt, why, ownerHost, null);
    }

    /** The same attempt, claimed until {@code until} by the daemon about to make it. */
    WebhookDispatch claimed(Instant until) {
        return new WebhookDispatch(schemaVersion, id, runId, eventType, requestUrl, payload, headers, attempts,
                failedAttempts, nextAttemptAt, lastError, ownerHost, until);
    }

    /** Whether another daemon's attempt may be under way at {@code now}. */
    boolean claimedAt(Instant now) {
        return claimedUntil != null && claimedUntil.isAfter(now);
    }

    /** Whether no attempt is left (a refused dispatch, kept for its message). */
    public boolean finished() {
        return failedAttempts >= attempts;
    }
}
