package io.actord.daemon.compat;

import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.MutableClock;
import io.actord.daemon.testing.ScheduledRuns;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published apify-client's schedule clients (schedules.test.mjs: list, create, get, update, delete, getLog)
 * against a daemon on the fake runtime whose clock the test moves: before the script, one schedule is made to fire
 * (clock moved past its minute), so getLog() has a fire and a run to show.
 */
@ApifyCompat
class ScheduleClientIT {
    @TempDir
    Path dir;

    @Test
    void shouldWorkWithThePublishedScheduleClients() throws Exception {
        Path work = ApifyClientScripts.install();
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T00:00:30Z"));
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), clock)) {
            String actor = daemon.actor("scheduled", "exit", "0");
            String fired = daemon.api().post("/v2/schedules", "{\"name\":\"fired\",\"cronExpression\":\"* * * * *\","
                    + "\"actions\":[{\"type\":\"RUN_ACTOR\",\"actorId\":\"" + actor + "\"}]}").expect(201).data()
                    .get("id").asText();
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, ScheduledRuns.await(daemon, fired, 1).size(), "the schedule fired");
            daemon.api().put("/v2/schedules/" + fired, "{\"isEnabled\":false}").expect(200);
            String output = ApifyClientScripts.run(work, daemon, Map.of("ACTOR", actor, "FIRED", fired),
                    "schedules.test.mjs");
            assertTrue(output.contains("pass 5") && output.contains("fail 0"), output);
        }
    }
}
