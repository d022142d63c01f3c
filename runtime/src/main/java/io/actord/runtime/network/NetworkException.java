package io.actord.runtime.network;

import io.actord.runtime.ContainerException;

/** Setting up or taking down a container's network failed (nft, sysctl, a missing tool). */
public final class NetworkException extends ContainerException {
    private static final long serialVersionUID = 1L;

    public NetworkException(String message) {
        super(message);
    }

    public NetworkException(String message, Throwable cause) {
        super(message, cause);
    }
}
