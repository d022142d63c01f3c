package io.actord.daemon.storage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** Checking and normalising request JSON as clients send it, and the request ids Apify derives from uniqueKey. */
public final class QueueRequests {
    /** Apify's REQUEST_QUEUE_MAX_REQUESTS_PER_BATCH_OPERATION. */
    public static final int MAX_BATCH = 25;
    private static final int MAX_CLIENT_KEY = 32;

    private QueueRequests() {
    }

    /**
     * A request's id: the first 15 characters of base64(sha256(uniqueKey)) without '+', '/' and '='. crawlee
     * computes the same value as its cache key, so matching it saves it a lock-and-fetch round trip.
     */
    public static String idOf(String uniqueKey) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(uniqueKey.getBytes(StandardCharsets.UTF_8));
            String b64 = Base64.getEncoder().encodeToString(hash).replaceAll("[+/=]", "");
            return b64.substring(0, 15);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** A request as a client sends it: checked, with top-level nulls dropped, {@code method} and {@code uniqueKey} defaulted. */
    public record Parsed(String id, String uniqueKey, ObjectNode json, Optional<Instant> handledAt) {
    }

    /**
     * Checks one request of an add or update.
     *
     * @param what    names the request in messages ("the request", "request 3 of the batch")
     * @param allowId whether the body may carry {@code id} (updates do, adds must not)
     */
    public static Parsed parse(JsonNode node, String what, boolean allowId) {
        if (node == null || !node.isObject()) {
            throw invalid(what + " must be a JSON object");
        }
        ObjectNode json = ((ObjectNode) node).deepCopy();
        List<String> nulls = new ArrayList<>();
        json.fieldNames().forEachRemaining(f -> {
            if (json.get(f).isNull()) {
                nulls.add(f);
            }
        });
        json.remove(nulls);
        JsonNode url = json.get("url");
        if (url == null || !url.isTextual() || url.asText().isEmpty()) {
            throw invalid(what + " needs a non-empty string 'url'");
        }
        JsonNode uk = json.get("uniqueKey");
        if (uk != null && (!uk.isTextual() || uk.asText().isEmpty())) {
            throw invalid(what + " has a 'uniqueKey' that is not a non-empty string");
        }
        String uniqueKey = uk == null ? url.asText() : uk.asText();
        json.put("uniqueKey", uniqueKey);
        if (!json.has("method")) {
            json.put("method", "GET");
        } else if (!json.get("method").isTextual()) {
            throw invalid(what + " has a 'method' that is not a string");
        }
        String id = idOf(uniqueKey);
        JsonNode given = json.get("id");
        if (given != null && !allowId) {
            throw invalid(what + " must not have an 'id': the queue assigns it");
        }
        if (given != null && !given.asText().equals(id)) {
            throw invalid(what + " has id '" + given.asText() + "', but its uniqueKey gives id '" + id + "'");
        }
        json.put("id", id);
        return new Parsed(id, uniqueKey, json, handledAt(json, what));
    }

    private static Optional<Instant> handledAt(ObjectNode json, String what) {
        JsonNode h = json.get("handledAt");
        if (h == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(h.asText()));
        } catch (DateTimeParseException e) {
            throw invalid(what + " has a 'handledAt' that is not an ISO-8601 date: '" + h.asText() + "'");
        }
    }

    /**
     * The clientKey parameter: 1 to 32 characters (Apify's rule), or "" when absent, so that clients that
     * send none are one anonymous client that can still prolong and release its own locks.
     */
    public static String clientKey(Optional<String> key) {
        if (key.isPresent() && key.get().length() > MAX_CLIENT_KEY) {
            throw new ApiException(ErrorType.INVALID_CLIENT_KEY, "clientKey must be 1 to " + MAX_CLIENT_KEY
                    + " characters long, got " + key.get().length());
        }
        return key.orElse("");
    }

    public static int retryCount(ObjectNode json) {
        JsonNode r = json.get("retryCount");
        return r != null && r.canConvertToInt() ? r.asInt() : 0;
    }

    static ApiException invalid(String message) {
        return new ApiException(ErrorType.INVALID_INPUT, message);
    }
}
