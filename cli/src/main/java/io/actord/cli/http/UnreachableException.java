package io.actord.cli.http;

import java.io.IOException;

/** The endpoint could not be connected to at all (as opposed to a connection that failed midway). */
public final class UnreachableException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnreachableException(Endpoint endpoint, IOException cause) {
        super("cannot reach the daemon at " + endpoint + ": " + cause.getMessage(), cause);
    }
}
