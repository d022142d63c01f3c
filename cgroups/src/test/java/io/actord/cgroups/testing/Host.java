package io.actord.cgroups.testing;

import org.junit.jupiter.api.Tag;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Facts about the machine a privileged test runs on, and the visible skip when it cannot. */
public final class Host {
    /** The JUnit tag of tests that need root. */
    public static final String PRIVILEGED = "privileged";

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
     * silently where it could not run. The class must carry {@link #PRIVILEGED}.
     */
    public static void requireRoot(Class<?> testClass) {
        requirePrivilegedTag(testClass);
        boolean root = isRoot();
        if (!root) {
            System.out.println("SKIPPED " + testClass.getSimpleName() + ": requires root (privileged test)");
        }
        assumeTrue(root, "requires root (privileged test)");
    }

    /**
     * Fails unless {@code testClass} (or a superclass) carries {@code @Tag("privileged")}: the build runs and
     * counts tests that need root apart from the rest by that tag (README, Tests).
     */
    public static void requirePrivilegedTag(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getSuperclass()) {
            for (Tag tag : c.getAnnotationsByType(Tag.class)) {
                if (tag.value().equals(PRIVILEGED)) {
                    return;
                }
            }
        }
        throw new AssertionError(testClass.getName() + " needs root, so it must carry @Tag(\"" + PRIVILEGED + "\")");
    }
}
