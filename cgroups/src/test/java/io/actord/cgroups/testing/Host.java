package io.actord.cgroups.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Facts about the machine a privileged test runs on, and the visible skip when it cannot. */
public final class Host {
    private Host() {
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
