package io.actord.daemon.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A stored webhook: a request to send when a run its {@link #condition} names has one of {@link #eventTypes}.
 * Ad-hoc ones ({@link #isAdHoc}) are made for one run (by its start request's {@code webhooks} option, or by the
 * run itself through {@code Actor.addWebhook()}) and go with that run.
 *
 * @param payloadTemplate null = Apify's default payload
 * @param idempotencyKey  a second create with the same key (by the same user) returns this webhook, or null
 */
public record Webhook(int schemaVersion, String id, String userId, Instant createdAt, Instant modifiedAt,
                      boolean isAdHoc, boolean shouldInterpolateStrings, List<String> eventTypes,
                      WebhookCondition condition, boolean ignoreSslErrors, boolean doNotRetry, String requestUrl,
                      String payloadTemplate, String headersTemplate, String description, String idempotencyKey) {
    public static final int SCHEMA = 1;

    public Webhook {
        eventTypes = List.copyOf(eventTypes);
    }

    /** This webhook changed by {@code in} (its absent fields keep their values) at {@code now}. */
    Webhook updated(WebhookInput in, Instant now) {
        return new Webhook(schemaVersion, id, userId, createdAt, now, or(in.isAdHoc(), isAdHoc),
                or(in.shouldInterpolateStrings(), shouldInterpolateStrings), in.eventTypes() == null ? eventTypes
                : in.eventTypes(), in.condition() == null ? condition : in.condition(),
                or(in.ignoreSslErrors(), ignoreSslErrors), or(in.doNotRetry(), doNotRetry),
                in.requestUrl() == null ? requestUrl : in.requestUrl(),
                in.payloadTemplate() == null ? payloadTemplate : in.payloadTemplate(),
                in.headersTemplate() == null ? headersTemplate : in.headersTemplate(),
                in.description() == null ? description : in.description(),
                in.idempotencyKey() == null ? idempotencyKey : in.idempotencyKey());
    }

    private static boolean or(Boolean value, boolean otherwise) {
        return value == null ? otherwise : value;
    }
}
