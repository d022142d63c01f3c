package io.actord.daemon.input;

/** An input schema that is not one: the build that brings it fails, a start against it is 400 invalid-input. */
public final class InvalidSchemaException extends RuntimeException {
    public InvalidSchemaException(String message) {
        super(message);
    }
}
