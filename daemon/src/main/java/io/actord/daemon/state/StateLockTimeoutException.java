package io.actord.daemon.state;

/** {@link StateStore#locked} waited its bound for a lock another holder (maybe another daemon) kept. */
public final class StateLockTimeoutException extends StoreException {
    public StateLockTimeoutException(String message, Throwable cause) {
        super(message, cause);
    }
}
