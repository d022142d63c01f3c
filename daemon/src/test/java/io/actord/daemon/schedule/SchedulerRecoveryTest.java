package io.actord.daemon.schedule;

import io.actord.daemon.state.Codecs.Empty;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.MutableClock;
import io.actord.daemon.testing.ScheduledRuns;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The crash windows of a fire: a daemon that stopped after deciding a fire and before (or after) inserting its
 * run. The state such a stop leaves is written into the store between two daemons; the next daemon must start the
 * missing run once and a started one never again.
 */
class SchedulerRecoveryTest {
    @TempDir
    Path dir;
    private final MutableClock clock = new MutableClock(SchedulesTest.START);
    private final FakeRuntime runtime = new FakeRuntime();

    private TestDaemon daemon() {
        return TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), clock);
    }

    /**
     * Creates a schedule, stops the daemon, and leaves a fire decided (next time moved on, fire pending) as
     * {@code edit} makes it from the pending fire and the schedule's action id.
     */
    private String stoppedWithPendingFire(BiFunction<ScheduleFire, String, ScheduleFire> edit) throws Exception {
        String id;
        String actionId;
        try (TestDaemon d = daemon()) {
            String actor = d.actor("scheduled", "exit", "0");
            var created = d.api().post("/v2/schedules", SchedulesTest.schedule(actor, "* * * * *", ""))
                    .expect(201).data();
            id = created.get("id").asText();
            actionId = created.get("actions").get(0).get("id").asText();
        }
        clock.advance(Duration.ofSeconds(40));
        try (StateStore store = TestDaemon.openState(dir)) {
            ScheduleService service = new ScheduleService(store, clock);
            Schedule s = store.table(ScheduleTables.SCHEDULES).get(id).orElseThrow();
            Instant due = s.nextRunAt();
            FireKey key = new FireKey(id, due.toEpochMilli());
            ScheduleFire fire = edit.apply(ScheduleFire.pending(due, clock.instant()), actionId);
            store.write(b -> {
                service.put(b, s, s.withTimes(due.plusSeconds(60), clock.instant()));
                store.table(ScheduleTables.SCHEDULE_FIRES).putInBatch(b, key, fire);
                store.table(ScheduleTables.SCHEDULE_FIRES_PENDING).putInBatch(b, key, Empty.INSTANCE);
            });
        }
        return id;
    }

    @Test
    void shouldStartTheRunOfAFireDecidedBeforeTheStop() throws Exception {
        String id = stoppedWithPendingFire((fire, actionId) -> fire);
        try (TestDaemon d = daemon()) {
            List<String> runs = ScheduledRuns.await(d, id, 1);
            assertEquals(1, runs.size(), "the decided fire's run");
            Thread.sleep(2500);
            assertEquals(1, ScheduledRuns.of(d, id).size());
            assertTrue(d.api().get("/v2/schedules/" + id + "/log").text().contains("Started run " + runs.get(0)));
            assertEquals(0, d.daemon().store().table(ScheduleTables.SCHEDULE_FIRES_PENDING).count(), "finished");
        }
        try (TestDaemon d = daemon()) {
            Thread.sleep(2500);
            assertEquals(1, ScheduledRuns.of(d, id).size(), "not again after another restart");
        }
    }

    @Test
    void shouldNotRepeatARunInsertedBeforeTheStop() throws Exception {
        // As the run's insert batch leaves it: the action's outcome names its run, the fire is still pending.
        String id = stoppedWithPendingFire((fire, actionId) -> fire.with(new ScheduleFire.Outcome(actionId, "x",
                "alreadyStartedRun", null)));
        try (TestDaemon d = daemon()) {
            Thread.sleep(2500);
            assertEquals(0, ScheduledRuns.of(d, id).size(), "the action had its run");
            assertEquals(0, d.daemon().store().table(ScheduleTables.SCHEDULE_FIRES_PENDING).count(), "finished");
            String log = d.api().get("/v2/schedules/" + id + "/log").text();
            assertTrue(log.contains("alreadyStartedRun"), log);
            assertFalse(log.contains("Cannot start"), log);
        }
    }

    @Test
    void shouldKeepTheNewestFiresOnly() throws Exception {
        String id;
        try (TestDaemon d = daemon()) {
            String actor = d.actor("scheduled", "exit", "0");
            id = d.api().post("/v2/schedules", SchedulesTest.schedule(actor, "* * * * *", "")).expect(201).data()
                    .get("id").asText();
        }
        try (StateStore store = TestDaemon.openState(dir)) {
            var fires = store.table(ScheduleTables.SCHEDULE_FIRES);
            Instant old = Instant.parse("2025-01-01T00:00:00Z");
            store.write(b -> {
                for (int i = 0; i < Scheduler.KEPT_FIRES + 100; i++) {
                    Instant at = old.plusSeconds(60L * i);
                    fires.putInBatch(b, new FireKey(id, at.toEpochMilli()),
                            ScheduleFire.pending(at, at).finished());
                }
            });
        }
        try (TestDaemon d = daemon()) {
            clock.advance(Duration.ofMinutes(1));
            assertEquals(1, ScheduledRuns.await(d, id, 1).size());
            var fires = d.daemon().store().table(ScheduleTables.SCHEDULE_FIRES);
            assertEquals(Scheduler.KEPT_FIRES, fires.count(FireKey.ofSchedule(id)), "the oldest went");
            assertTrue(fires.get(new FireKey(id, Instant.parse("2025-01-01T00:00:00Z").toEpochMilli())).isEmpty());
        }
    }
}
