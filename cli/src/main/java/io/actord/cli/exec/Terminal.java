package io.actord.cli.exec;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The terminal actorctl runs in, through stty(1) on /dev/tty (JDK 17 has no termios): raw mode while a command
 * with a pty owns it (keys go to the command as typed, ^C included), its size, and a call on every resize
 * (SIGWINCH). {@link #close()} puts the settings back.
 */
public final class Terminal implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");
    private final String saved;
    private final PrintStream err;

    private Terminal(String saved, PrintStream err) {
        this.saved = saved;
        this.err = err;
    }

    /**
     * Raw mode on the controlling terminal; empty when there is none (stdin is a file or a pipe).
     *
     * @param err where to say that the settings could not be put back
     */
    public static Optional<Terminal> raw(boolean stdinIsTerminal, PrintStream err) {
        if (!stdinIsTerminal || !TTY.canRead()) {
            return Optional.empty();
        }
        try {
            String saved = stty("-g").strip();
            stty("raw", "-echo");
            return Optional.of(new Terminal(saved, err));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Rows and columns now, if stty can tell. */
    public Optional<int[]> size() {
        try {
            String[] words = stty("size").strip().split("\\s+");
            int rows = Integer.parseInt(words[0]);
            int columns = Integer.parseInt(words[1]);
            return rows > 0 && columns > 0 ? Optional.of(new int[] {rows, columns}) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Calls {@code action} with the new size whenever the window changes. */
    @SuppressWarnings("sunapi")
    public void onResize(BiConsumer<Integer, Integer> action) {
        sun.misc.Signal.handle(new sun.misc.Signal("WINCH"),
                signal -> size().ifPresent(s -> action.accept(s[0], s[1])));
    }

    @Override
    public void close() {
        try {
            stty(saved);
        } catch (IOException e) {
            err.println("actorctl: could not restore the terminal (run 'reset'): " + e.getMessage());
        }
    }

    private static String stty(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "stty";
        System.arraycopy(args, 0, command, 1, args.length);
        Process p = new ProcessBuilder(command).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return out;
    }
}
