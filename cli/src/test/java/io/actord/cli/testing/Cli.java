package io.actord.cli.testing;

import io.actord.cli.ActordCli;
import io.actord.cli.Context;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Runs the real CLI in-process, as {@code main} would, with captured streams, an environment of its own
 * and chosen terminal flags. Output that is not a terminal is checked for escape codes on every run:
 * piped output must be plain.
 */
public final class Cli {
    private final Map<String, String> env = new HashMap<>();
    private boolean outTerminal;
    private boolean errTerminal;
    private byte[] stdin = new byte[0];
    private boolean escapesExpected;

    private Cli() {
    }

    /** A CLI whose ACTORD_SOCKET is {@code socket}. */
    public static Cli at(Path socket) {
        Cli cli = new Cli();
        cli.env.put("ACTORD_SOCKET", socket.toString());
        cli.env.put("LANG", "C.UTF-8");
        return cli;
    }

    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Pretends stdout and stderr are terminals. */
    public Cli terminal() {
        outTerminal = true;
        errTerminal = true;
        return this;
    }

    /** Skips the check for escape codes in piped output (for --color=always). */
    public Cli escapesExpected() {
        escapesExpected = true;
        return this;
    }

    public Cli stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    public Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        int status = ActordCli.execute(new Context(o, e, new ByteArrayInputStream(stdin), env, Clock.systemUTC(),
                outTerminal, errTerminal), args);
        o.flush();
        e.flush();
        Result result = new Result(status, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
        if (!outTerminal && !escapesExpected) {
            assertFalse(result.out().contains("\u001B"), "escape codes in piped stdout: " + result.out());
        }
        if (!errTerminal && !escapesExpected) {
            assertFalse(result.err().contains("\u001B"), "escape codes in piped stderr: " + result.err());
        }
        assertFalse(result.err().contains("\tat "), "a stack trace on stderr: " + result.err());
        return result;
    }

    /** What one run printed and how it exited. */
    public record Result(int status, byte[] outBytes, String err) {
        public String out() {
            return new String(outBytes, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out() + "--- stderr\n" + err;
        }
    }
}
