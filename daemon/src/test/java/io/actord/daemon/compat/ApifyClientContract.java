package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeBaseImage;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published npm apify-client (pinned in src/test/js/package-lock.json, installed with npm ci) drives a
 * daemon over TCP: call(), start() + abort(), server-side waitForFinish, lastRun(), 404 → undefined,
 * versions and their env vars. Its eighth test, a version's source built with {@code actor.build()} and run with
 * {@code call()}, runs only when {@code BASE_IMAGE} names a base image in the daemon's store: when it can run
 * ({@link #noBuildFromSource()}) it is set, the build runs with the Dockerfile builder FROM the tests' node base
 * image ({@link NodeBaseImage}, imported through the images API), and "pass 8" is expected; else (on the fake
 * runtime, where RUN steps cannot run) that test is skipped and "pass 7" counts the others. Subclasses say which daemons answer and run the actors.
 */
@ApifyCompat
abstract class ApifyClientContract {
    static final String CLIENT_TEST = "client.test.mjs";

    @TempDir
    Path dir;

    /** The daemon the client talks to, how actors are made on it, and what is checked and closed after the scenario. */
    interface Hosts extends AutoCloseable {
        TestDaemon api();

        ItRuntime.Choice actors();

        /** Checks made once the scenario passed, with the daemons still up. */
        default void checkAfterScenario() {
        }

        @Override
        void close();
    }

    /** Starts the daemons, their state under {@code dir}. */
    abstract Hosts start(Path dir) throws Exception;

    /**
     * Why the client's build-from-source test cannot run against these daemons, or empty when it runs: it needs the
     * Dockerfile builder, which runs RUN steps in the real runtime.
     */
    Optional<String> noBuildFromSource() {
        return ItRuntime.unavailableReason();
    }

    @Test
    void shouldWorkWithThePublishedApifyClient() throws Exception {
        Path work = ApifyClientScripts.install();
        Optional<String> noBuild = noBuildFromSource();
        noBuild.ifPresent(why -> System.out.println(getClass().getSimpleName() + ": SKIPPED the client's build from"
                + " source: " + why));
        try (Hosts hosts = start(dir)) {
            TestDaemon daemon = hosts.api();
            ItRuntime.Choice choice = hosts.actors();
            System.out.println(getClass().getSimpleName() + ": actors run on " + choice.description());
            Map<String, String> env = new HashMap<>(Map.of(
                    "HELLO", choice.helloActor(daemon, "hello"),
                    "SLEEPER", choice.actor(daemon, "sleeper", "sleep", "300"),
                    "SHORT", choice.actor(daemon, "short", "sleep", "2"),
                    "GREETING", choice.readsInput() ? "input" : "Hello, client!"));
            if (noBuild.isEmpty()) {
                env.put("BASE_IMAGE", NodeBaseImage.importInto(daemon));
            }
            String output = ApifyClientScripts.run(work, daemon, env, CLIENT_TEST);
            assertTrue(output.contains(noBuild.isEmpty() ? "pass 8" : "pass 7") && output.contains("fail 0"), output);
            hosts.checkAfterScenario();
        }
    }
}
