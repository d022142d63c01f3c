package io.actord.daemon.common;

/** A bad flag or setting value; the daemon's main prints it with the usage and exits 2. */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }
}
