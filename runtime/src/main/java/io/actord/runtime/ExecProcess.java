package io.actord.runtime;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A command running in a container ({@link Container#exec}). Its streams are blocking; read each output until
 * end of stream (the command and whatever it started have closed it) on a thread of its own, then close it.
 * Thread-safe.
 */
public interface ExecProcess extends AutoCloseable {
    /** The host pid of the process that holds the command (actord-init --exec, its parent). */
    long pid();

    /** The command's standard input (the pty with a tty); closing it is end of input (without a tty). */
    OutputStream stdin();

    /** The command's standard output; with a tty, the terminal's output (stdout and stderr together). */
    InputStream stdout();

    /** The command's standard error; empty with a tty. */
    Optional<InputStream> stderr();

    /** A new window size for the command's terminal (SIGWINCH); nothing without one, or once it has ended. */
    void resize(TerminalSize size);

    /** Completes when the command has ended: its exit code, or 128 + the signal that killed it. */
    CompletableFuture<ExitStatus> onExit();

    /** Kills the command (it dies with the process that holds it); no effect once it has ended. */
    void kill();

    /** Kills the command if it still runs; the streams stay readable until their end. Idempotent. */
    @Override
    void close();
}
