package io.actord.runtime;

import java.nio.file.Path;

/** Where the workload's stdout and stderr go. */
public sealed interface Output {
    /** Appended to a host file. */
    record ToFile(Path file) implements Output {
    }

    /**
     * A pipe the daemon reads ({@link Container#output()}). actord-init keeps a copy of its read end, so
     * the workload does not die of SIGPIPE while a restarting daemon is away, and a re-attached daemon
     * picks the pipe up again.
     */
    record Pipe() implements Output {
    }

    /** /dev/null. */
    record Discard() implements Output {
    }
}
