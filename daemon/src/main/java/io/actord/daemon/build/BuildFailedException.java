package io.actord.daemon.build;

import java.util.OptionalInt;

/**
 * A build that did not make an image: its message is the build log's last line ("line 7: RUN npm ci: exit code 1").
 *
 * @see Cause
 */
public final class BuildFailedException extends RuntimeException {
    /** Why: the caller maps these to the build's status. */
    public enum Cause {
        /** The Dockerfile or a step's input is wrong (FAILED). */
        INVALID,
        /** A RUN step exited non-zero (FAILED). */
        STEP_FAILED,
        /** A RUN step was killed for exceeding the build's memory (FAILED, the log says out of memory). */
        OUT_OF_MEMORY,
        /** {@link BuildControl#cancel} stopped it (the caller knows whether it was an abort or a timeout). */
        CANCELLED
    }

    private final Cause cause;
    private final OptionalInt line;

    public BuildFailedException(Cause cause, OptionalInt line, String message) {
        super(message);
        this.cause = cause;
        this.line = line;
    }

    public Cause failure() {
        return cause;
    }

    /** The Dockerfile line it failed at, when it was at one. */
    public OptionalInt line() {
        return line;
    }
}
