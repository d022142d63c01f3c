package io.actord.daemon.builds;

/** The build's source cannot be made into a context (bad archive, no Dockerfile): the build FAILS with this message. */
final class SourceException extends RuntimeException {
    SourceException(String message) {
        super(message);
    }

    SourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
