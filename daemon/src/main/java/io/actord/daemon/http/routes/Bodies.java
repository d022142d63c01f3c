package io.actord.daemon.http.routes;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;

import java.io.IOException;

/** JSON request bodies: malformed JSON is 400 invalid-request, JSON of the wrong shape 400 invalid-input. */
final class Bodies {
    /**
     * The most JSON tokens a request body may have. A body's tree takes up to about 30 times its size (9 MiB
     * of {@code {},} is three million object nodes), which the API fuzz test found running a 256 MiB heap out
     * from one request-queue batch; a million tokens is a tree of some 50 MiB, and far more than any body read
     * as a tree or a record needs (a batch holds at most 25 requests).
     */
    static final long MAX_TOKENS = 1_000_000;
    /** Parsers of request bodies: the daemon's JSON settings, at most {@link #MAX_TOKENS} tokens. */
    static final JsonFactory PARSERS = Json.MAPPER.getFactory().rebuild()
            .streamReadConstraints(Json.MAPPER.getFactory().streamReadConstraints().rebuild()
                    .maxTokenCount(MAX_TOKENS).build())
            .build();

    private Bodies() {
    }

    static <T> T json(ApiRequest request, Class<T> type) {
        if (request.body().length == 0) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request needs a JSON body");
        }
        try {
            T value = Json.MAPPER.readValue(PARSERS.createParser(request.body()), type);
            if (value == null) {
                throw new ApiException(ErrorType.INVALID_INPUT, "the request body must be a JSON object, not null");
            }
            return value;
        } catch (JsonParseException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            Throwable cause = e instanceof StreamConstraintsException ? e : e.getCause(); // databinding wraps it
            if (cause instanceof StreamConstraintsException tooLarge) {
                throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                        + tooLarge.getOriginalMessage());
            }
            throw new ApiException(ErrorType.INVALID_INPUT, "the request body does not have the expected shape: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("read request body", e);
        }
    }
}
