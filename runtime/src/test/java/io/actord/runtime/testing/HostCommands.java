package io.actord.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host tools (ip, nft, busybox) for privileged tests: output captured, a non-zero exit is an error. */
public final class HostCommands {
    private static final long TIMEOUT_SECONDS = 60;

    private HostCommands() {
    }

    /** The command's exit code and combined output. */
    public record Result(int exitCode, String output) {
        public boolean ok() {
            return exitCode == 0;
        }
    }

    /** Runs the command and returns its output; throws with the output when it exits non-zero. */
    public static String run(String... command) {
        Result result = attempt(command);
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + result.exitCode() + ": "
                    + result.output().strip());
        }
        return result.output();
    }

    /** Runs the command with {@code input} on its stdin; throws with the output when it exits non-zero. */
    public static String runWithInput(String input, String... command) {
        Result result = attempt(input, List.of(command));
        if (!result.ok()) {
            throw new IllegalStateException(String.join(" ", command) + ": exit " + result.exitCode() + ": "
                    + result.output().strip());
        }
        return result.output();
    }

    /** Runs the command, whatever its exit code. */
    public static Result attempt(String... command) {
        return attempt(null, List.of(command));
    }

    public static Result attempt(String input, List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(input == null ? ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))
                            : ProcessBuilder.Redirect.PIPE)
                    .start();
            if (input != null) {
                try (var stdin = process.getOutputStream()) {
                    stdin.write(input.getBytes(StandardCharsets.UTF_8));
                }
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + ": no exit in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", command) + ": interrupted", e);
        }
    }
}
