package io.actord.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What one invocation runs with: its streams, environment, clock and whether stdout and stderr are
 * terminals. {@code main} builds it from the process; tests build their own, so nothing reads
 * {@code System.out} or {@code System.getenv} behind their back.
 */
public record Context(PrintStream out, PrintStream err, InputStream in, Map<String, String> env, Clock clock,
                      boolean outIsTerminal, boolean errIsTerminal) {
    public Context {
        env = Map.copyOf(env);
    }

    /** The process's own streams and environment. */
    public static Context system() {
        return new Context(System.out, System.err, System.in, System.getenv(), Clock.systemUTC(), isTerminal(1),
                isTerminal(2));
    }

    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    /**
     * Whether file descriptor {@code fd} is a terminal, from what it links to in /proc (a pty or a tty).
     * {@code System.console()} cannot tell stdout from stderr, and a JDK 17 JVM has no isatty.
     */
    static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }
}
