package io.actord.cgroups.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Facts about the machine a privileged test runs on, and the visible skip when it cannot. */
public final class Host {
    /**
     * How many times slower than a plain host this one runs containers: the system property
     * {@code actord.test.slowdown}, default 1. bin/test sets it for the emulated (qemu) v2 guest, where every
     * instruction is translated and a container's start, a kill or a JVM's start take several times longer.
     */
    public static final double SLOWDOWN = Double.parseDouble(System.getProperty("actord.test.slowdown", "1"));

    private Host() {
    }

    /** How long to wait for what takes {@code wait} on a plain host: {@code wait} times {@link #SLOWDOWN}. */
    public static Duration patience(Duration wait) {
        return Duration.ofMillis(Math.round(wait.toMillis() * SLOWDOWN));
    }

    public static boolean isRoot() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0");
                }
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Skips the calling test class unless it runs as root, printing why: a privileged test must never pass
     * silently where it could not run.
     */
    public static void requireRoot(Class<?> testClass) {
        boolean root = isRoot();
        if (!root) {
            System.out.println("SKIPPED " + testClass.getSimpleName() + ": requires root (privileged test)");
        }
        assumeTrue(root, "requires root (privileged test)");
    }
}
