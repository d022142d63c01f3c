package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published apify-client (src/test/js/errors.test.mjs) against a daemon on the fake runtime that lets a run be
 * read by its id ({@code --runs-readable-by-id true}): {@code get()} is {@code undefined} for an unknown id of every
 * kind, errors carry the platform's statuses and types, a run is read without a token, and the smaller methods
 * (dataset statistics, monthly usage, build abort and log) work or answer 400 not-implemented.
 */
@ApifyCompat
class ClientGapsIT {
    @TempDir
    Path dir;

    @Test
    void shouldAnswerThePublishedClientAsThePlatformDoes() throws Exception {
        Path work = ApifyClientScripts.install();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1),
                List.of("--runs-readable-by-id", "true"))) {
            Map<String, String> env = Map.of("SLEEPER", daemon.actor("sleeper", "sleep", "300"),
                    "SHORT", daemon.actor("short", "sleep", "2"));
            String output = ApifyClientScripts.run(work, daemon, env, "errors.test.mjs");
            assertTrue(output.contains("pass 6") && output.contains("fail 0"), output);
        }
    }
}
