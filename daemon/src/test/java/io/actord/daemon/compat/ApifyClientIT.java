package io.actord.daemon.compat;

import io.actord.daemon.image.Digest;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeBaseImage;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.Tools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The published npm apify-client (pinned in src/test/js/package-lock.json, installed with npm ci) drives a
 * real daemon over TCP: call(), start() + abort(), server-side waitForFinish, lastRun(), 404 → undefined,
 * versions and their env vars. Its eighth test, a version's source built with {@code actor.build()} and run with
 * {@code call()}, runs only when {@code BASE_IMAGE} names a base image in the daemon's store: the first method does
 * set it with the real runtime, which builds with the Dockerfile builder FROM the tests' node base image
 * ({@link NodeBaseImage}, imported through the images API), and expects "pass 8"; on the fake runtime, where RUN
 * steps cannot run, that test is skipped and "pass 7" counts the others. The second method runs it alone against a
 * scripted builder.
 * With root and the container runtime the actors run in real containers; otherwise on the in-process fake
 * runtime, which still exercises the whole API (the test prints which).
 */
@ApifyCompat
class ApifyClientIT {
    private static final Path JS = ItRuntime.checkout().resolve("daemon/src/test/js");

    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedApifyClient() throws Exception {
        Path work = install();
        ItRuntime.Choice choice = ItRuntime.realOrFake(dir);
        System.out.println("ApifyClientIT: actors run on " + choice.description());
        boolean real = ItRuntime.unavailableReason().isEmpty();
        try (TestDaemon daemon = TestDaemon.start(dir, choice.runtime(), Duration.ofSeconds(5))) {
            Map<String, String> env = new HashMap<>(Map.of(
                    "HELLO", choice.helloActor(daemon, "hello"),
                    "SLEEPER", choice.actor(daemon, "sleeper", "sleep", "300"),
                    "SHORT", choice.actor(daemon, "short", "sleep", "2"),
                    "GREETING", choice.readsInput() ? "input" : "Hello, client!"));
            if (real) {
                env.put("BASE_IMAGE", NodeBaseImage.importInto(daemon));
            }
            String output = runClient(work, daemon, env);
            assertTrue(output.contains(real ? "pass 8" : "pass 7") && output.contains("fail 0"), output);
        } finally {
            choice.close();
        }
    }

    /**
     * The client's build test (a version's source files, {@code actor.build()}, {@code defaultBuild()}, the build's
     * log, {@code call()}) against the daemon's build API, with a scripted builder in place of the Dockerfile one
     * and the fake runtime: what the client sends and reads, not what a build makes.
     */
    @Test
    void shouldBuildFromSourceWithThePublishedApifyClient() throws Exception {
        Path work = install();
        FakeImageBuilder builder = new FakeImageBuilder();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), List.of(),
                Duration.ofSeconds(300), parts -> builder)) {
            String base = daemon.actor("base-layers", "exit", "0");
            List<Digest> layers = daemon.daemon().actors().resolveBuild(daemon.daemon().actors().byId(base)
                    .orElseThrow(), "latest").layers().stream().map(Digest::parse).toList();
            builder.next(FakeImageBuilder.succeed(layers, List.of("echo", "Hello from a build")));
            String output = runClient(work, daemon, Map.of("BASE_IMAGE", "base"), "--test-name-pattern=source files");
            assertTrue(output.contains("pass 1") && output.contains("fail 0"), output);
            assertEquals(".actor/Dockerfile", builder.seen().get(0).request().dockerfile());
        }
    }

    /** Copies the client test into the build directory, where run.sh installs the pinned apify-client. */
    private static Path install() throws Exception {
        assumeTrue(Tools.onPath("node").isPresent() && Tools.onPath("npm").isPresent(),
                "SKIPPED ApifyClientIT: node and npm are needed to run the published apify-client");
        Path work = ItRuntime.checkout().resolve("daemon/target/apify-client-test");
        Files.createDirectories(work);
        for (String f : List.of("package.json", "package-lock.json", "client.test.mjs", "run.sh")) {
            Files.copy(JS.resolve(f), work.resolve(f), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.COPY_ATTRIBUTES);
        }
        return work;
    }

    /** Runs client.test.mjs (with node test runner {@code args}) against {@code daemon}; returns its output. */
    private static String runClient(Path work, TestDaemon daemon, Map<String, String> env, String... args)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("bash", work.resolve("run.sh").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("ACTORD_URL", daemon.api().base().toString().replaceAll("/$", ""));
        pb.environment().put("ACTORD_TOKEN", daemon.token());
        pb.environment().putAll(env);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes());
        boolean done = p.waitFor(10, TimeUnit.MINUTES);
        System.out.println(output);
        assertTrue(done, "the apify-client test did not finish in 10 minutes");
        assertEquals(0, p.exitValue(), "the apify-client test failed:\n" + output);
        return output;
    }
}
