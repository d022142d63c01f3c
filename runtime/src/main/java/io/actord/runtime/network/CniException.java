package io.actord.runtime.network;

import io.actord.runtime.ContainerException;

/** A CNI plugin failed; the message carries the plugin's own error text. */
public final class CniException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public CniException(String message) {
        super(message);
    }

    public CniException(String message, Throwable cause) {
        super(message, cause);
    }
}
