package io.actord.daemon.compat;

import io.actord.daemon.run.RunOptions;
import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published apify-client (runoptions.test.mjs) drives run options and fields against a daemon on the fake
 * runtime: {@code actor().start()} with restartOnError, maxItems and maxTotalChargeUsd, a failing run restarted
 * up to the cap, {@code run().charge()} with its idempotency key, {@code builds().list()}, and the Actor object's
 * stats, versions and defaultRunOptions.restartOnError.
 */
@ApifyCompat
class RunOptionsClientIT {
    private static final String SCRIPT = "runoptions.test.mjs";

    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedApifyClient() throws Exception {
        Path work = ApifyClientScripts.install();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1))) {
            Map<String, String> env = Map.of(
                    "FAILING", daemon.actor("failing", "exit", "1"),
                    "SLEEPER", daemon.actor("sleeper", "sleep", "300"),
                    "MAX_RESTARTS", Integer.toString(RunOptions.MAX_RESTARTS));
            String output = ApifyClientScripts.run(work, daemon, env, SCRIPT);
            assertTrue(output.contains("pass 5") && output.contains("fail 0"), output);
        }
    }
}
