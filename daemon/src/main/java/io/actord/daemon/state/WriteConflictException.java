package io.actord.daemon.state;

/**
 * A write made conditional on a stored value ({@link Table#requireInBatch}) found another value there: nothing of
 * its batch was written. The message says what the condition found.
 */
public class WriteConflictException extends StoreException {
    private static final long serialVersionUID = 1L;

    public WriteConflictException(String message) {
        super(message);
    }
}
