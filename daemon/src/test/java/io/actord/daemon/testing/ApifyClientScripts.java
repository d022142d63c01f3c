package io.actord.daemon.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs the node test files of {@code daemon/src/test/js} (each {@code *.test.mjs} drives one part of the API with the
 * published apify-client, pinned in package-lock.json and installed by run.sh with npm ci) against a test daemon.
 */
public final class ApifyClientScripts {
    private static final Path JS = ItRuntime.checkout().resolve("daemon/src/test/js");

    private ApifyClientScripts() {
    }

    /**
     * Copies the scripts into the build directory, where run.sh installs the pinned apify-client; skips the
     * calling test without node and npm.
     */
    public static Path install() throws Exception {
        assumeTrue(Tools.onPath("node").isPresent() && Tools.onPath("npm").isPresent(),
                "SKIPPED: node and npm are needed to run the published apify-client");
        Path work = ItRuntime.checkout().resolve("daemon/target/apify-client-test");
        Files.createDirectories(work);
        try (Stream<Path> files = Files.list(JS)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                Files.copy(f, work.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
        return work;
    }

    /**
     * Runs {@code script} (a file name in src/test/js) with node's test runner ({@code args} go to it) against
     * {@code daemon}, with {@code env} added; asserts it exited 0 and returns its output.
     */
    public static String run(Path work, TestDaemon daemon, Map<String, String> env, String script, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", work.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ACTORD_URL", daemon.api().base().toString().replaceAll("/$", ""));
        pb.environment().put("ACTORD_TOKEN", daemon.token());
        pb.environment().put("ACTORD_CLIENT_TEST", script);
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        System.out.println(output);
        assertTrue(done, script + " did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), script + " failed:\n" + output);
        return output;
    }
}
