package io.actord.daemon.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

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
    /** The run events Apify fires; build and TEST events do not apply to a run. */
    public static final List<String> EVENT_TYPES = List.of("ACTOR.RUN.CREATED", "ACTOR.RUN.SUCCEEDED",
            "ACTOR.RUN.FAILED", "ACTOR.RUN.ABORTED", "ACTOR.RUN.TIMED_OUT", "ACTOR.RUN.RESURRECTED");

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
        if (w.requestUrl() == null || w.requestUrl().isBlank()) {
            throw invalid(where + ".requestUrl is required");
        }
        try {
            URI uri = new URI(w.requestUrl());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
                throw invalid(where + ".requestUrl must be an http or https URL: " + w.requestUrl());
            }
        } catch (URISyntaxException e) {
            throw invalid(where + ".requestUrl is not a valid URL: " + e.getMessage());
        }
        if (Boolean.TRUE.equals(w.ignoreSslErrors())) {
            throw invalid(where + ".ignoreSslErrors is not supported: actord always checks the receiver's"
                    + " TLS certificate");
        }
        if (w.eventTypes() == null || w.eventTypes().isEmpty()) {
            throw invalid(where + ".eventTypes must be a non-empty array");
        }
        for (String type : w.eventTypes()) {
            if (!EVENT_TYPES.contains(type)) {
                throw invalid(where + ".eventTypes has an unknown event type " + type + " (one of "
                        + String.join(", ", EVENT_TYPES) + ")");
            }
        }
    }

    private static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_VALUE, message);
    }
}
