package io.actord.daemon.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.MutableClock;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two daemons on one PostgreSQL database (#25) tick over the same schedules, on one clock that the test moves a
 * minute at a time: each fire is claimed by one of them, so every schedule starts exactly one run a minute, which
 * both daemons list, with one log line pair a fire. The daemons tick on their own timers, so whether their ticks
 * overlap is chance here; {@link SchedulerClaimTest} makes the overlap certain.
 */
class SchedulesOnOneDatabaseTest {
    private static final int SCHEDULES = 12;
    private static final int MINUTES = 3;
    /** How long a fire may take to show up; the test goes on as soon as it does. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @TempDir
    Path dirOne;
    @TempDir
    Path dirTwo;
    private final MutableClock clock = new MutableClock(SchedulesTest.START);
    private TestDaemon one;
    private TestDaemon two;

    @BeforeEach
    void startBoth() {
        List<String> state = List.of("--state", PG.database("schedules"));
        one = TestDaemon.start(dirOne, new FakeRuntime(), Duration.ofSeconds(1), state, clock);
        two = TestDaemon.start(dirTwo, new FakeRuntime(), Duration.ofSeconds(1), state, clock);
    }

    @AfterEach
    void stopBoth() {
        two.close();
        one.close();
    }

    @Test
    void shouldStartOneRunPerScheduleAndMinuteBetweenBothDaemons() throws Exception {
        String actor = one.actor("scheduled", "exit", "0");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < SCHEDULES; i++) {
            TestDaemon creator = i % 2 == 0 ? one : two;
            ids.add(creator.api().post("/v2/schedules", SchedulesTest.schedule(actor, "* * * * *", "")
                    .replace("every-minute", "every-minute-" + i).replace("256", "128")).expect(201).data()
                    .get("id").asText());
        }
        for (int minute = 1; minute <= MINUTES; minute++) {
            clock.advance(Duration.ofMinutes(1));
            awaitFired(ids, minute);
        }
        Map<String, List<String>> runs = runsBySchedule(one);
        assertEquals(runs, runsBySchedule(two), "both daemons see the same runs");
        for (String id : ids) {
            assertEquals(MINUTES, runs.getOrDefault(id, List.of()).size(), "schedule " + id + ": " + runs.get(id));
            JsonNode log = one.api().get("/v2/schedules/" + id + "/log").expect(200).data();
            assertEquals(2 * MINUTES, log.size(), "invoked + started, once a minute: " + log);
            for (String runId : runs.get(id)) {
                assertTrue(log.toString().contains("Started run " + runId), log.toString());
            }
        }
        assertEquals(SCHEDULES * MINUTES, one.api().get("/v2/acts/" + actor + "/runs").expect(200).data()
                .get("total").asInt(), "no run besides the scheduled ones");
    }

    /**
     * Waits until every schedule has finished its fire of {@code minute}: its log shows a started run per minute so
     * far (the outcome is stored with the run) and its next time has moved on to the minute after.
     */
    private void awaitFired(List<String> ids, int minute) throws InterruptedException {
        Instant next = SchedulesTest.START.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(minute + 1));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<String> waiting = new ArrayList<>(ids);
        while (!waiting.isEmpty() && System.nanoTime() < deadline) {
            waiting.removeIf(id -> fired(id, next, minute));
            if (!waiting.isEmpty()) {
                Thread.sleep(100);
            }
        }
        assertTrue(waiting.isEmpty(), () -> "minute " + minute + ": not fired " + waiting);
    }

    private boolean fired(String id, Instant next, int minute) {
        JsonNode s = two.api().get("/v2/schedules/" + id).expect(200).data();
        String log = two.api().get("/v2/schedules/" + id + "/log").expect(200).data().toString();
        return next.equals(Instant.parse(s.get("nextRunAt").asText())) && log.split("Started run ", -1).length - 1 >= minute;
    }

    /** Each schedule's runs, as one daemon's API lists them (by their {@code meta.scheduleId}). */
    private static Map<String, List<String>> runsBySchedule(TestDaemon d) {
        Map<String, List<String>> runs = new HashMap<>();
        for (JsonNode item : d.api().get("/v2/actor-runs?limit=1000").expect(200).data().get("items")) {
            JsonNode run = d.api().get("/v2/actor-runs/" + item.get("id").asText()).expect(200).data();
            runs.computeIfAbsent(run.path("meta").path("scheduleId").asText(), k -> new ArrayList<>())
                    .add(run.get("id").asText());
        }
        runs.values().forEach(list -> list.sort(String::compareTo));
        return runs;
    }
}
