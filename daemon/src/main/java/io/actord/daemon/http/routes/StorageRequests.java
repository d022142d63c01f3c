package io.actord.daemon.http.routes;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.StorageListDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.storage.Listing;

import java.io.IOException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** Parameters and bodies the storage routes share. */
final class StorageRequests {
    static final long MAX_LIST_LIMIT = 1000;
    private StorageRequests() {
    }

    /** The body as JSON; 400 invalid-request when it is not JSON, invalid-input when it is empty. */
    static JsonNode json(ApiRequest r) {
        if (r.body().length == 0) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request needs a JSON body");
        }
        try (JsonParser p = Bodies.PARSERS.createParser(r.body())) {
            JsonNode body = Json.MAPPER.readTree(p);
            if (p.nextToken() != null) {
                throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: trailing"
                        + " content after its value");
            }
            return body == null ? MissingNode.getInstance() : body;
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("read request body", e);
        }
    }

    /** The {@code name} of a rename body ({@code {"name": ...}}); empty for null (make it unnamed) or absent. */
    static Optional<String> newName(ApiRequest r, String currentName) {
        JsonNode body = json(r);
        if (!body.isObject()) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request body must be a JSON object");
        }
        generalAccess(body.get("generalAccess"));
        JsonNode name = body.get("name");
        if (name == null) {
            return Optional.ofNullable(currentName);
        }
        if (!name.isNull() && !name.isTextual()) {
            throw ApiException.invalidValue("'name' must be a string or null");
        }
        return name.isNull() || name.asText().isEmpty() ? Optional.empty() : Optional.of(name.asText());
    }

    /**
     * A storage's {@code generalAccess} in an update: the settings that keep a storage to its owner (what actord
     * does) are accepted, one that would open it to anyone is refused rather than ignored, as storages have no
     * access rights of their own here (a run's default storages follow the run's sharing).
     */
    private static void generalAccess(JsonNode value) {
        if (value == null || value.isNull() || value.isTextual() && (value.asText().equals("RESTRICTED")
                || value.asText().equals("FOLLOW_USER_SETTING"))) {
            return;
        }
        throw new ApiException(ErrorType.NOT_IMPLEMENTED, "a storage's generalAccess can only be RESTRICTED or"
                + " FOLLOW_USER_SETTING in actord (got " + value + "): storages have no access rights of their own;"
                + " share the run whose default storage it is (PUT /v2/actor-runs/{runId} generalAccess)");
    }

    /**
     * A comma-separated list parameter ({@code fields=a,b}); empty when absent or empty (apify-client sends an
     * empty array as {@code fields=}). A blank name inside a list ({@code a,,b}, {@code a,}) is a 400
     * invalid-value: it names no field.
     */
    static List<String> list(ApiRequest r, String name) {
        return r.query(name).filter(v -> !v.isBlank()).map(v -> {
            List<String> names = Arrays.stream(v.split(",", -1)).map(String::trim).toList();
            if (names.contains("")) {
                throw ApiException.invalidValue("parameter '" + name + "' has an empty name in '" + v
                        + "'; give comma-separated names");
            }
            return names;
        }).orElse(List.of());
    }

    /** A non-negative integer parameter. */
    static Optional<Long> nonNegative(ApiRequest r, String name) {
        Optional<Long> v = r.queryLong(name);
        v.ifPresent(n -> {
            if (n < 0) {
                throw ApiException.invalidValue("parameter '" + name + "' must be 0 or more, got " + n);
            }
        });
        return v;
    }

    /** A duration in seconds, possibly fractional ({@code lockSecs=105} or {@code 0.5}); required. */
    static Duration seconds(ApiRequest r, String name) {
        String v = r.query(name).orElseThrow(() -> ApiException.invalidValue("parameter '" + name + "' is required"));
        try {
            double secs = Double.parseDouble(v.trim());
            if (!(secs > 0) || Double.isInfinite(secs) || secs > Duration.ofDays(3650).toSeconds()) {
                throw new NumberFormatException();
            }
            return Duration.ofMillis(Math.round(secs * 1000));
        } catch (NumberFormatException e) {
            throw ApiException.invalidValue("parameter '" + name + "' must be a positive number of seconds, got '"
                    + v + "'");
        }
    }

    /** Apify's collection list answer for one page of storages. */
    static <S, T> ApiResponse page(ApiRequest r, Function<Page, Listing<S>> lister, Function<S, T> view) {
        Page p = new Page(nonNegative(r, "offset").orElse(0L),
                Math.min(nonNegative(r, "limit").filter(l -> l > 0).orElse(MAX_LIST_LIMIT), MAX_LIST_LIMIT),
                r.queryBool("desc"), r.queryBool("unnamed"));
        Listing<S> found = lister.apply(p);
        List<T> items = found.items().stream().map(view).toList();
        return ApiResponse.data(200, new StorageListDto<>(found.total(), p.offset(), p.limit(), items.size(), p.desc(),
                items));
    }

    record Page(long offset, long limit, boolean desc, boolean unnamed) {
    }
}
