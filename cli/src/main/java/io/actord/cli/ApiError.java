package io.actord.cli;

/**
 * A 4xx or 5xx answer: Apify's {@code {"error": {"type", "message"}}} (apify-api.md §1), kept whole so
 * that {@code --json} can print the body the daemon sent.
 *
 * @see DaemonClient
 */
public final class ApiError extends CliException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String type;
    private final transient byte[] body;

    public ApiError(int status, String type, String message, byte[] body) {
        super(message);
        this.status = status;
        this.type = type;
        this.body = body.clone();
    }

    public int status() {
        return status;
    }

    /** Apify's error type ("record-not-found"), or "" when the body was not Apify's error shape. */
    public String type() {
        return type;
    }

    public byte[] body() {
        return body.clone();
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
