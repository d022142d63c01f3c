package io.actord.daemon.http;

/**
 * Where a {@link ApiResponse.Streamed} body goes, chunk by chunk. Thread-safe; writes after {@link #close()}
 * or after the client went away are dropped.
 */
public interface ResponseSink {
    void write(byte[] chunk);

    /** Ends the body (the last chunk). Idempotent. */
    void close();

    /** Runs {@code action} once when the client disconnects before {@link #close()}, to stop producing. */
    void onAbandoned(Runnable action);
}
