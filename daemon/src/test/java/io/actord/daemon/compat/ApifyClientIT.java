package io.actord.daemon.compat;

import io.actord.daemon.image.Digest;
import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ApifyClientContract} against one daemon. With root and the container runtime the actors run in real
 * containers; otherwise on the in-process fake runtime, which still exercises the whole API (the test prints which).
 * The second method runs the client's build test alone against a scripted builder.
 */
@ApifyCompat
class ApifyClientIT extends ApifyClientContract {
    @Override
    Hosts start(Path dir) {
        ItRuntime.Choice choice = ItRuntime.realOrFake(dir);
        TestDaemon daemon;
        try {
            daemon = TestDaemon.start(dir, choice.runtime(), Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            choice.close();
            throw e;
        }
        return new Hosts() {
            @Override
            public TestDaemon api() {
                return daemon;
            }

            @Override
            public ItRuntime.Choice actors() {
                return choice;
            }

            @Override
            public void close() {
                try {
                    daemon.close();
                } finally {
                    choice.close();
                }
            }
        };
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
