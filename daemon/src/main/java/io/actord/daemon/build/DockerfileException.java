package io.actord.daemon.build;

import java.util.OptionalInt;

/**
 * A Dockerfile, build argument or build context that cannot be built as given. The message names the Dockerfile line
 * when there is one ("Dockerfile line 7: unknown instruction FOO"), so a build log shows where to look.
 */
public final class DockerfileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final OptionalInt line;

    public DockerfileException(String message) {
        this(message, OptionalInt.empty());
    }

    private DockerfileException(String message, OptionalInt line) {
        super(message);
        this.line = line;
    }

    /** An error about the instruction that starts on {@code line} (1-based). */
    public static DockerfileException at(int line, String message) {
        return new DockerfileException("Dockerfile line " + line + ": " + message, OptionalInt.of(line));
    }

    /** The Dockerfile line it is about, when it is about one. */
    public OptionalInt line() {
        return line;
    }
}
