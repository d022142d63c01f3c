package io.actord.daemon.compat;

import io.actord.daemon.image.Digest;
import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeBaseImage;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
    private static final String CLIENT_TEST = "client.test.mjs";

    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedApifyClient() throws Exception {
        Path work = ApifyClientScripts.install();
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
            String output = ApifyClientScripts.run(work, daemon, env, CLIENT_TEST);
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
        Path work = ApifyClientScripts.install();
        FakeImageBuilder builder = new FakeImageBuilder();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), List.of(),
                Duration.ofSeconds(300), parts -> builder)) {
            String base = daemon.actor("base-layers", "exit", "0");
            List<Digest> layers = daemon.daemon().actors().resolveBuild(daemon.daemon().actors().byId(base)
                    .orElseThrow(), "latest").layers().stream().map(Digest::parse).toList();
            builder.next(FakeImageBuilder.succeed(layers, List.of("echo", "Hello from a build")));
            String output = ApifyClientScripts.run(work, daemon, Map.of("BASE_IMAGE", "base"), CLIENT_TEST,
                    "--test-name-pattern=source files");
            assertTrue(output.contains("pass 1") && output.contains("fail 0"), output);
            assertEquals(".actor/Dockerfile", builder.seen().get(0).request().dockerfile());
        }
    }
}
