package io.actord.runtime.volume;

import io.actord.runtime.ContainerException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a host tool (mkfs.ext4, btrfs) from an ordinary daemon thread. ProcessBuilder is fine here; it is
 * never used on a launcher thread (see DESIGN.md).
 */
final class Commands {
    static final long TIMEOUT_SECONDS = 60;

    private Commands() {
    }

    /** Runs {@code argv}, returning its output; a non-zero exit is an error that quotes the output. */
    static String run(List<String> argv) {
        try {
            Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
            p.getOutputStream().close();
            String output;
            try (InputStream in = p.getInputStream()) {
                output = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new ContainerException(String.join(" ", argv) + ": still running after "
                        + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new ContainerException(String.join(" ", argv) + ": exit status " + p.exitValue()
                        + (output.isEmpty() ? "" : ": " + output));
            }
            return output;
        } catch (IOException e) {
            throw new ContainerException(String.join(" ", argv) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException(String.join(" ", argv) + ": interrupted", e);
        }
    }
}
