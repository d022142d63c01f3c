package io.actord.daemon.compat;

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
 * The published apify-client's task clients ({@code tasks()}, {@code task(id)}) against a real daemon on the fake
 * runtime: src/test/js/tasks.test.mjs, whose actors print their ACTOR_TASK_ID or sleep.
 */
@ApifyCompat
class TaskClientIT {
    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedTaskClients() throws Exception {
        Path work = ApifyClientScripts.install();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1))) {
            String output = ApifyClientScripts.run(work, daemon, Map.of(
                    "ENV_ACTOR", daemon.actor("task-env", "env", "ACTOR_TASK_ID"),
                    "SLEEPER", daemon.actor("task-sleeper", "sleep", "300")), "tasks.test.mjs");
            assertTrue(output.contains("pass 7") && output.contains("fail 0"), output);
        }
    }
}
