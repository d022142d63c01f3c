package io.actord.daemon.webhook;

import io.actord.daemon.api.ApiException;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * A webhook as a create or update request sends it ({@code POST /v2/webhooks}, {@code PUT /v2/webhooks/{id}}):
 * every field may be absent (an update keeps what it does not name). The checks here need nothing but the
 * input; the condition's targets and the URL's addresses are checked by {@link WebhookService}.
 */
public record WebhookInput(Boolean isAdHoc, List<String> eventTypes, WebhookCondition condition,
                           Boolean ignoreSslErrors, Boolean doNotRetry, String requestUrl, String payloadTemplate,
                           String headersTemplate, String description, String idempotencyKey,
                           Boolean shouldInterpolateStrings) {
    /** The run events Apify fires (and {@code TEST}, which only {@code …/test} sends); builds fire none here. */
    public static final List<String> EVENT_TYPES = List.of("ACTOR.RUN.CREATED", "ACTOR.RUN.SUCCEEDED",
            "ACTOR.RUN.FAILED", "ACTOR.RUN.ABORTED", "ACTOR.RUN.TIMED_OUT", "ACTOR.RUN.RESURRECTED");
    /** The longest id or idempotency key taken; ids are 17 characters, keys are usually a run id. */
    static final int MAX_KEY = 256;

    /** A whole webhook, as one to be created must be: URL, event types and condition present and valid. */
    void checkComplete() {
        if (requestUrl == null) {
            throw invalid("requestUrl is required");
        }
        if (eventTypes == null) {
            throw invalid("eventTypes is required (a non-empty array of " + String.join(", ", EVENT_TYPES) + ")");
        }
        if (condition == null) {
            throw invalid("condition is required: {\"actorId\"}, {\"actorTaskId\"} or {\"actorRunId\"}");
        }
        checkPresent();
    }

    /** The fields that are present, as an update sends them. */
    public void checkPresent() {
        if (requestUrl != null) {
            checkUrl("requestUrl", requestUrl);
        }
        if (eventTypes != null) {
            checkEventTypes("eventTypes", eventTypes);
        }
        if (condition != null) {
            checkCondition(condition);
        }
        checkSsl("", ignoreSslErrors);
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > MAX_KEY)) {
            throw invalid("idempotencyKey must be 1 to " + MAX_KEY + " characters");
        }
    }

    private static void checkCondition(WebhookCondition c) {
        if (c.fieldsSet() != 1) {
            throw invalid("condition must have exactly one of actorId, actorTaskId and actorRunId");
        }
        String id = c.actorRunId() != null ? c.actorRunId() : c.actorId() != null ? c.actorId() : c.actorTaskId();
        if (id.isEmpty() || id.length() > MAX_KEY || id.chars().anyMatch(ch -> ch < 0x20)) {
            throw invalid("condition names no valid id: '" + id.replaceAll("\\p{Cntrl}", "?") + "'");
        }
    }

    /** {@code url} is an absolute http or https URL with a host. */
    static void checkUrl(String where, String url) {
        if (url.isBlank()) {
            throw invalid(where + " is required");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw invalid(where + " must be an http or https URL: " + url);
            }
        } catch (URISyntaxException e) {
            throw invalid(where + " is not a valid URL: " + e.getMessage());
        }
    }

    /** {@code types} is a non-empty list of run event types. */
    static void checkEventTypes(String where, List<String> types) {
        if (types.isEmpty()) {
            throw invalid(where + " must be a non-empty array");
        }
        for (String type : types) {
            if (type == null || !EVENT_TYPES.contains(type)) {
                throw invalid(where + " has an unknown event type " + type + " (one of "
                        + String.join(", ", EVENT_TYPES) + ")");
            }
        }
    }

    /** Certificates are always checked: {@code ignoreSslErrors} true is refused. */
    static void checkSsl(String where, Boolean ignoreSslErrors) {
        if (Boolean.TRUE.equals(ignoreSslErrors)) {
            throw invalid(where + "ignoreSslErrors is not supported: actord always checks the receiver's"
                    + " TLS certificate");
        }
    }

    static ApiException invalid(String message) {
        return ApiException.invalidValue(message);
    }

    /** This input with {@code c} as its condition (the ids the references in the one sent resolve to). */
    public WebhookInput withCondition(WebhookCondition c) {
        return new WebhookInput(isAdHoc, eventTypes, c, ignoreSslErrors, doNotRetry, requestUrl, payloadTemplate,
                headersTemplate, description, idempotencyKey, shouldInterpolateStrings);
    }
}
