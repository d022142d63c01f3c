package io.actord.daemon.http.routes;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.actord.daemon.common.Json;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;

import java.io.IOException;

/** JSON request bodies: malformed JSON is 400 invalid-request, JSON of the wrong shape 400 invalid-input. */
final class Bodies {
    private Bodies() {
    }

    static <T> T json(ApiRequest request, Class<T> type) {
        if (request.body().length == 0) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request needs a JSON body");
        }
        try {
            T value = Json.MAPPER.readValue(request.body(), type);
            if (value == null) {
                throw new ApiException(ErrorType.INVALID_INPUT, "the request body must be a JSON object, not null");
            }
            return value;
        } catch (JsonParseException e) {
            throw new ApiException(ErrorType.INVALID_REQUEST, "the request body is not valid JSON: "
                    + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw new ApiException(ErrorType.INVALID_INPUT, "the request body does not have the expected shape: "
                    + e.getOriginalMessage());
        } catch (IOException e) {
            throw new IllegalStateException("read request body", e);
        }
    }
}
