package io.actord.daemon.backup;

/** A restore that cannot be done as asked: not a backup, a newer one, or a state directory that holds state. */
public final class RestoreException extends RuntimeException {
    public RestoreException(String message) {
        super(message);
    }
}
