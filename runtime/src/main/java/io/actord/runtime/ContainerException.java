package io.actord.runtime;

/** Creating, running or tearing down a container failed; the message says which step, on what, and why. */
public class ContainerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
