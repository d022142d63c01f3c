package io.actord.daemon.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/**
 * One entry of a run's {@code webhooks} option, as Apify takes it.
 *
 * @param payloadTemplate null = Apify's default payload
 * @param doNotRetry      true = one attempt only
 * @param ignoreSslErrors only false (or absent) is accepted: certificates are always checked
 */
public record AdHocWebhook(List<String> eventTypes, String requestUrl, String payloadTemplate, String headersTemplate,
                           String description, String idempotencyKey, Boolean shouldInterpolateStrings,
                           Boolean doNotRetry, Boolean ignoreSslErrors) {
    public boolean interpolatesStrings() {
        return Boolean.TRUE.equals(shouldInterpolateStrings);
    }

    public boolean retries() {
        return !Boolean.TRUE.equals(doNotRetry);
    }

    /**
     * The {@code webhooks} query parameter: base64 (standard or URL-safe) of a JSON array of webhooks.
     *
     * @throws ApiException 400 invalid-value, saying what is wrong
     */
    public static List<AdHocWebhook> parseOption(String base64) {
        byte[] json;
        try {
            json = Base64.getDecoder().decode(base64.strip().replace(' ', '+').replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw invalid("the webhooks parameter is not base64: " + e.getMessage());
        }
        List<AdHocWebhook> webhooks;
        try {
            webhooks = Json.MAPPER.readValue(new String(json, StandardCharsets.UTF_8), new TypeReference<>() {
            });
        } catch (JsonProcessingException e) {
            throw invalid("the webhooks parameter is not a base64-encoded JSON array of webhooks: "
                    + e.getOriginalMessage());
        }
        if (webhooks == null) {
            throw invalid("the webhooks parameter must be a JSON array of webhooks");
        }
        for (int i = 0; i < webhooks.size(); i++) {
            validate(webhooks.get(i), "webhooks[" + i + "]");
        }
        return List.copyOf(webhooks);
    }

    private static void validate(AdHocWebhook w, String where) {
        if (w == null) {
            throw invalid(where + " must be an object");
        }
        if (w.requestUrl() == null) {
            throw invalid(where + ".requestUrl is required");
        }
        WebhookInput.checkUrl(where + ".requestUrl", w.requestUrl());
        WebhookInput.checkSsl(where + ".", w.ignoreSslErrors());
        if (w.eventTypes() == null) {
            throw invalid(where + ".eventTypes must be a non-empty array");
        }
        WebhookInput.checkEventTypes(where + ".eventTypes", w.eventTypes());
    }

    /** The webhook resource this entry becomes for run {@code runId} of user {@code userId}: ad hoc, on that run. */
    Webhook toWebhook(String id, String userId, String runId, Instant now) {
        return new Webhook(Webhook.SCHEMA, id, userId, now, now, true, interpolatesStrings(), eventTypes,
                WebhookCondition.ofRun(runId), false, !retries(), requestUrl, payloadTemplate, headersTemplate,
                description, idempotencyKey);
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_VALUE, message);
    }
}
