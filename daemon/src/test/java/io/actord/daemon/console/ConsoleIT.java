package io.actord.daemon.console;

import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.Tools;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The console in a real browser: src/test/console/console.test.mjs drives Debian's Chromium (headless,
 * through the pinned playwright-core; run.sh installs both) against a daemon with the real runtime. The
 * flows: sign in, start the sample actor with input and open its OUTPUT, a dataset's pages, the live runs
 * list, a long run aborted gracefully and resurrected, inline errors, and no horizontal scrolling at
 * 1280×800 and 390×844. Screenshots of each go to target/console-screenshots.
 */
@Tag("privileged")
class ConsoleIT {
    private static final Path SOURCES = Path.of("src/test/console");
    private static final Path WORK = Path.of("target/console-test");
    private static final Path SCREENSHOTS = Path.of("target/console-screenshots");
    /** run.sh's exit status when the browser cannot be installed here. */
    private static final int CANNOT_RUN = 77;
    /**
     * The long run: serves HTTP on the container port, ticks once a second with a little CPU work, and on
     * SIGTERM takes 3 s to finish (so ABORTING is seen), then exits 0.
     */
    private static final String TICKER = "/bin/payload serve-http 4321 &"
            + " trap 'echo got SIGTERM, saving state; sleep 3; echo bye; exit 0' TERM;"
            + " i=0; while true; do i=$((i+1)); echo \"tick $i\"; j=0;"
            + " while [ $j -lt 3000 ]; do j=$((j+1)); done; sleep 1; done";

    @TempDir
    Path dir;

    @Test
    void shouldStartWatchAbortAndResurrectRunsFromABrowser() throws Exception {
        Optional<String> unavailable = ItRuntime.unavailableReason();
        if (unavailable.isPresent()) {
            System.out.println("SKIPPED ConsoleIT: " + unavailable.get());
        }
        assumeTrue(unavailable.isEmpty(), "ConsoleIT: " + unavailable.orElse(""));
        boolean node = Tools.onPath("node").isPresent() && Tools.onPath("npm").isPresent();
        if (!node) {
            System.out.println("SKIPPED ConsoleIT: node and npm are needed to drive the browser");
        }
        assumeTrue(node, "ConsoleIT: node and npm are needed");
        prepare();
        try (ItRuntime.Choice real = ItRuntime.real(dir);
             TestDaemon daemon = TestDaemon.start(dir, real.runtime(), Duration.ofSeconds(10))) {
            real.helloActor(daemon, "hello");
            daemon.actor("ticker", ItRuntime.payloadRootfs(), List.of("/bin/sh", "-c", TICKER));
            Map<String, String> env = new HashMap<>(Map.of(
                    "ACTORD_URL", daemon.api().base().toString(),
                    "TOKEN", daemon.token(),
                    "ACTORD_HOME", ItRuntime.checkout().toString(),
                    "ACTORD_SOCKET", daemon.socket().toAbsolutePath().toString(),
                    "HELLO", "hello",
                    "TICKER", "ticker",
                    "SCREENSHOTS", SCREENSHOTS.toAbsolutePath().toString()));
            Result r = run(env);
            System.out.println(r.output());
            assumeTrue(r.exit() != CANNOT_RUN, "ConsoleIT: the browser cannot run here");
            assertEquals(0, r.exit(), "the console's browser tests failed:\n" + r.output());
            for (String none : List.of("fail 0", "cancelled 0", "skipped 0")) {
                assertTrue(r.output().contains("\u2139 " + none), "not \"" + none + "\":\n" + r.output());
            }
        }
    }

    /** Copies the test's files to target/ (node_modules stays out of the sources) and empties the screenshots. */
    private static void prepare() throws IOException {
        Files.createDirectories(WORK);
        for (String f : List.of("package.json", "package-lock.json", "console.test.mjs", "run.sh")) {
            Files.copy(SOURCES.resolve(f), WORK.resolve(f), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        if (Files.isDirectory(SCREENSHOTS)) {
            try (Stream<Path> old = Files.walk(SCREENSHOTS)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(Map<String, String> env) throws IOException, InterruptedException {
        Path log = Files.createTempFile("console-test-", ".log");
        try {
            ProcessBuilder pb = new ProcessBuilder("bash", WORK.resolve("run.sh").toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly().waitFor();
                return new Result(-1, Files.readString(log) + "\n[timed out after 10 minutes]");
            }
            return new Result(p.exitValue(), Files.readString(log));
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
