package io.actord.cli;

/** A failure to report as {@code error: <message>} with exit status 1. */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CliException(String message) {
        super(message);
    }
}
