package io.actord.daemon.http;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.state.StateUnavailableException;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The only place error bodies are made: Apify's {@code {"error": {"type": …, "message": …}}} with the type's status. */
public final class ErrorResponses {
    private ErrorResponses() {
    }

    public static ApiResponse.Full of(ApiException e) {
        return of(e.type(), e.getMessage());
    }

    public static ApiResponse.Full of(ErrorType type, String message) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("type", type.type());
        error.put("message", message);
        return ApiResponse.json(type.status(), Map.of("error", error));
    }

    /** 500 with a generic message; what went wrong is logged with the same request id (sent as X-Request-Id). */
    public static ApiResponse.Full internal(String requestId) {
        return of(ErrorType.INTERNAL_ERROR, "an internal error occurred; the daemon's log has the details under request id "
                + requestId);
    }

    /**
     * 503 {@code state-unavailable} when {@code error} is (or was caused by) the state database being unreachable,
     * with the message naming the database and what was attempted; the one place a lost database becomes an answer.
     */
    public static Optional<ApiResponse.Full> stateUnavailable(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof StateUnavailableException) {
                return Optional.of(of(ErrorType.STATE_UNAVAILABLE, t.getMessage() + "; try again once it is back"));
            }
        }
        return Optional.empty();
    }

    public static ApiResponse.Full tooLarge(long limitBytes) {
        return of(ErrorType.REQUEST_TOO_LARGE, "the request body is larger than the limit of " + limitBytes + " bytes");
    }
}
