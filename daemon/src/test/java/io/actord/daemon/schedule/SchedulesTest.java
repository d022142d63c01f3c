package io.actord.daemon.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.MutableClock;
import io.actord.daemon.testing.ScheduledRuns;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Schedules over the API of a whole daemon (fake containers) whose clock the test moves: fires, the catch-up after
 * a stop, {@code isExclusive}, disabled schedules and bad input. The daemon looks for due schedules every second
 * of real time, so each step waits for that tick, never for the schedule's minutes.
 */
class SchedulesTest {
    /** Half a minute before a whole minute: a schedule of every minute fires next at 00:01:00. */
    static final Instant START = Instant.parse("2026-03-01T00:00:30Z");
    private static final Duration TICKS = Duration.ofMillis(2500);

    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(START);
    private final FakeRuntime runtime = new FakeRuntime();
    private TestDaemon daemon;

    @BeforeEach
    void start() {
        daemon = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), clock);
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    static String schedule(String actorId, String cron, String more) {
        return "{\"name\":\"every-minute\",\"cronExpression\":\"" + cron + "\",\"timezone\":\"Europe/Prague\""
                + more + ",\"actions\":[{\"type\":\"RUN_ACTOR\",\"actorId\":\"" + actorId + "\",\"runInput\":"
                + "{\"body\":\"{\\\"n\\\":1}\",\"contentType\":\"application/json\"},\"runOptions\":"
                + "{\"memoryMbytes\":256,\"timeoutSecs\":60}}]}";
    }

    @Test
    void shouldStartARunEachMinuteWithOriginScheduler() throws Exception {
        String actor = daemon.actor("scheduled", "exit", "0");
        JsonNode created = daemon.api().post("/v2/schedules", schedule(actor, "* * * * *", "")).expect(201).data();
        String id = created.get("id").asText();
        assertEquals("2026-03-01T00:01:00.000Z", created.get("nextRunAt").asText());
        assertTrue(created.get("lastRunAt").isNull());
        for (int minute = 1; minute <= 3; minute++) {
            clock.advance(Duration.ofMinutes(1));
            assertEquals(minute, ScheduledRuns.await(daemon, id, minute).size(), "runs after minute " + minute);
        }
        Thread.sleep(TICKS.toMillis());
        List<String> runs = ScheduledRuns.of(daemon, id);
        assertEquals(3, runs.size(), "one run a minute, no more");
        for (String runId : runs) {
            JsonNode run = daemon.api().get("/v2/actor-runs/" + runId).expect(200).data();
            assertEquals("SCHEDULER", run.get("meta").get("origin").asText());
            assertEquals(256, run.get("options").get("memoryMbytes").asInt());
            JsonNode input = daemon.api().get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()
                    + "/records/INPUT").expect(200).json();
            assertEquals(1, input.get("n").asInt());
        }
        JsonNode after = daemon.api().get("/v2/schedules/" + id).expect(200).data();
        assertEquals("2026-03-01T00:04:00.000Z", after.get("nextRunAt").asText());
        assertEquals(clock.instant().toString().replace("Z", ".000Z"), after.get("lastRunAt").asText());
        JsonNode log = daemon.api().get("/v2/schedules/" + id + "/log").expect(200).data();
        assertEquals(6, log.size(), "invoked + started, three times: " + log);
        assertEquals("Schedule invoked", log.get(0).get("message").asText());
        for (String runId : runs) {
            assertTrue(log.toString().contains("Started run " + runId), log.toString());
        }
    }

    @Test
    void shouldRunATaskWithTheActionsInputOverTheTasks() throws Exception {
        String actor = daemon.actor("tasked", "exit", "0");
        String task = daemon.api().post("/v2/actor-tasks", "{\"actId\":\"" + actor + "\",\"name\":\"nightly\","
                + "\"input\":{\"n\":0,\"from\":\"task\"},\"options\":{\"memoryMbytes\":512}}").expect(201).data()
                .get("id").asText();
        String id = daemon.api().post("/v2/schedules", schedule(task, "* * * * *", "")
                .replace("\"RUN_ACTOR\",\"actorId\"", "\"RUN_ACTOR_TASK\",\"actorTaskId\"")
                .replace(",\"runOptions\":{\"memoryMbytes\":256,\"timeoutSecs\":60}", "")).expect(201).data()
                .get("id").asText();
        clock.advance(Duration.ofMinutes(1));
        String runId = ScheduledRuns.await(daemon, id, 1).get(0);
        JsonNode run = daemon.api().get("/v2/actor-runs/" + runId).expect(200).data();
        assertEquals(task, run.get("actorTaskId").asText());
        assertEquals("SCHEDULER", run.get("meta").get("origin").asText());
        assertEquals(id, run.get("meta").get("scheduleId").asText());
        assertEquals(512, run.get("options").get("memoryMbytes").asInt(), "the task's options");
        JsonNode input = daemon.api().get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()
                + "/records/INPUT").expect(200).json();
        assertEquals(1, input.get("n").asInt(), "the action's input over the task's: " + input);
        assertEquals("task", input.get("from").asText(), "the task's input under it: " + input);
    }

    @Test
    void shouldCatchUpOnceAfterADowntimeAndNotAgainAfterARestart() throws Exception {
        String actor = daemon.actor("scheduled", "exit", "0");
        String id = daemon.api().post("/v2/schedules", schedule(actor, "* * * * *", "")).expect(201).data()
                .get("id").asText();
        daemon.close();
        clock.advance(Duration.ofMinutes(5));
        daemon = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), clock);
        assertEquals(1, ScheduledRuns.await(daemon, id, 1).size());
        Thread.sleep(TICKS.toMillis());
        assertEquals(1, ScheduledRuns.of(daemon, id).size(), "five fire times missed, one catch-up");
        assertEquals("2026-03-01T00:06:00.000Z", daemon.api().get("/v2/schedules/" + id).expect(200).data()
                .get("nextRunAt").asText());
        daemon.close();
        daemon = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), clock);
        Thread.sleep(TICKS.toMillis());
        assertEquals(1, ScheduledRuns.of(daemon, id).size(), "a restart fires nothing");
    }

    @Test
    void shouldSkipAFireWhileTheLastRunIsActiveWhenExclusive() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "600");
        // A run's timeout counts on the daemon's clock too: an hour outlasts the minutes this test moves it.
        String id = daemon.api().post("/v2/schedules", schedule(actor, "* * * * *", ",\"isExclusive\":true")
                .replace("\"timeoutSecs\":60", "\"timeoutSecs\":3600")).expect(201).data().get("id").asText();
        clock.advance(Duration.ofMinutes(1));
        List<String> first = ScheduledRuns.await(daemon, id, 1);
        assertEquals(1, first.size());
        clock.advance(Duration.ofMinutes(1));
        Thread.sleep(TICKS.toMillis());
        assertEquals(1, ScheduledRuns.of(daemon, id).size(), "skipped: the first run is still running");
        assertTrue(daemon.api().get("/v2/schedules/" + id + "/log").text().contains("still running"));
        daemon.api().post("/v2/actor-runs/" + first.get(0) + "/abort").expect(200);
        io.actord.daemon.testing.TestRuns.awaitStatus(daemon.api(), first.get(0), "ABORTED");
        clock.advance(Duration.ofMinutes(1));
        assertEquals(2, ScheduledRuns.await(daemon, id, 2).size(), "fires again once the last run ended");
    }

    @Test
    void shouldNeverFireADisabledSchedule() throws Exception {
        String actor = daemon.actor("scheduled", "exit", "0");
        JsonNode created = daemon.api().post("/v2/schedules", schedule(actor, "* * * * *", ",\"isEnabled\":false"))
                .expect(201).data();
        assertFalse(created.get("isEnabled").asBoolean());
        assertTrue(created.get("nextRunAt").isNull());
        clock.advance(Duration.ofMinutes(3));
        Thread.sleep(TICKS.toMillis());
        assertEquals(0, ScheduledRuns.of(daemon, created.get("id").asText()).size());
        JsonNode enabled = daemon.api().put("/v2/schedules/" + created.get("id").asText(), "{\"isEnabled\":true}")
                .expect(200).data();
        assertEquals("2026-03-01T00:04:00.000Z", enabled.get("nextRunAt").asText(), "counted from now");
    }

    @Test
    void shouldRefuseBadInputAndCreateNothing() throws Exception {
        String actor = daemon.actor("scheduled", "exit", "0");
        String[] bad = {
            schedule(actor, "61 * * * *", ""),
            schedule(actor, "not cron", ""),
            schedule(actor, "* * * * * * * *", ""),
            schedule(actor, "* * * * *", "").replace("Europe/Prague", "Mars/Olympus"),
            schedule("noSuchActor", "* * * * *", ""),
            schedule(actor, "* * * * *", "").replace("RUN_ACTOR", "RUN_SOMETHING"),
            schedule(actor, "* * * * *", "").replace("\"RUN_ACTOR\",\"actorId\"", "\"RUN_ACTOR_TASK\",\"actorTaskId\""),
            schedule(actor, "* * * * *", "").replace("256", "100"),
            "{\"cronExpression\":\"* * * * *\",\"name\":\"bad name!\"}",
            "{\"name\":\"no-cron\"}",
            "{\"cronExpression\":\"* * * * *\",\"actions\":[null]}",
            "[1,2]",
            "not json",
        };
        for (String body : bad) {
            TestDaemon.Response r = daemon.api().post("/v2/schedules", body);
            assertEquals(400, r.status(), body + " → " + r.text());
            assertTrue(r.errorType().startsWith("invalid"), r.text());
        }
        assertEquals(0, daemon.api().get("/v2/schedules").expect(200).data().get("total").asInt());
        assertTrue(daemon.api().post("/v2/schedules", schedule(actor, "* * * * *", ""))
                .text().contains("every-minute"));
        assertEquals(400, daemon.api().post("/v2/schedules", schedule(actor, "@daily", "")).status(),
                "name not unique");
    }

    @Test
    void shouldKeepSchedulesToTheirOwner() {
        String id = daemon.api().post("/v2/schedules", "{\"cronExpression\":\"@hourly\"}").expect(201).data()
                .get("id").asText();
        TestDaemon.Api other = daemon.user("someone");
        assertEquals("record-not-found", other.get("/v2/schedules/" + id).expect(404).errorType());
        other.put("/v2/schedules/" + id, "{\"isEnabled\":false}").expect(404);
        other.delete("/v2/schedules/" + id).expect(404);
        other.get("/v2/schedules/" + id + "/log").expect(404);
        assertEquals(0, other.get("/v2/schedules").expect(200).data().get("total").asInt());
        JsonNode mine = daemon.api().get("/v2/schedules").expect(200).data();
        assertEquals(1, mine.get("total").asInt());
        assertEquals("2026-03-01T01:00:00.000Z", mine.get("items").get(0).get("nextRunAt").asText());
        daemon.api().delete("/v2/schedules/" + id).expect(204);
        assertEquals("record-not-found", daemon.api().get("/v2/schedules/" + id).expect(404).errorType());
    }

    @Test
    void shouldAnswerGarbageWithA4xx() throws Exception {
        String actor = daemon.actor("scheduled", "exit", "0");
        String id = daemon.api().post("/v2/schedules", schedule(actor, "@daily", "")).expect(201).data()
                .get("id").asText();
        String action = "{\"actions\":[{\"type\":\"RUN_ACTOR\",\"actorId\":\"" + actor + "\",";
        String[] bodies = {
            "{\"actions\":\"x\"}", "{\"actions\":[1]}", "{\"cronExpression\":123}", "{\"cronExpression\":[]}",
            "{\"isEnabled\":\"maybe\"}", "{\"notifications\":5}", "{\"timezone\":{}}", "null", "", "{",
            "{\"actions\":[{\"type\":\"RUN_ACTOR\",\"actorId\":\"\\u0000/..\"}]}",
            action + "\"runOptions\":{\"memoryMbytes\":1e99}}]}", action + "\"runOptions\":{\"timeoutSecs\":-1}}]}",
            action + "\"runInput\":{\"body\":[]}}]}",
            "{\"cronExpression\":\"" + "* ".repeat(5000) + "\"}", "{\"name\":\"" + "n".repeat(300) + "\"}",
            "{\"description\":\"" + "d".repeat(3000) + "\"}", "{\"cronExpression\":\"0 0 30 2 *\"}",
            "{\"timezone\":\"../../etc/passwd\"}", "[".repeat(5000),
        };
        for (String body : bodies) {
            for (TestDaemon.Response r : List.of(daemon.api().post("/v2/schedules", body),
                    daemon.api().put("/v2/schedules/" + id, body))) {
                assertTrue(r.status() >= 400 && r.status() < 500, body + " → " + r.status() + " " + r.text());
            }
        }
        for (String path : List.of("%00", "x%2F..", "..", "~", id + "%00", id.repeat(100))) {
            assertEquals(404, daemon.api().get("/v2/schedules/" + path).status(), path);
            assertEquals(404, daemon.api().get("/v2/schedules/" + path + "/log").status(), path);
        }
        assertEquals(1, daemon.api().get("/v2/schedules").expect(200).data().get("total").asInt());
        assertEquals("@daily", daemon.api().get("/v2/schedules/" + id).expect(200).data().get("cronExpression")
                .asText(), "unchanged by the refused updates");
    }
}
