package io.actord.daemon.api;

import java.util.Objects;

/** A failure the API reports to the client as {@code {"error": {"type", "message"}}} with the type's status. */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorType type;

    public ApiException(ErrorType type, String message) {
        super(message);
        this.type = Objects.requireNonNull(type, "type");
    }

    public ErrorType type() {
        return type;
    }

    /** "Run 'abc' was not found": 404 record-not-found, the one 404 apify-client turns into {@code undefined}. */
    public static ApiException notFound(String what, String id) {
        return new ApiException(ErrorType.RECORD_NOT_FOUND, what + " '" + id + "' was not found");
    }

    public static ApiException invalidValue(String message) {
        return new ApiException(ErrorType.INVALID_VALUE, message);
    }
}
