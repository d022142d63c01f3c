package io.actord.daemon.schedule;

import io.actord.daemon.run.Run;
import io.actord.daemon.state.PostgresLocation;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.PostgresStateStore;
import io.actord.daemon.state.StateStore;
import io.actord.daemon.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The race {@link SchedulesOnOneDatabaseTest} can only make likely, made certain: two schedulers on two stores of one
 * PostgreSQL database (two daemons), one of them in the middle of a fire's run start when the other ticks. The second
 * must wait for the fire's lock, then find the fire finished and start nothing; without the claim it took the
 * first's pending fire for one a stop interrupted and started its run a second time.
 */
class SchedulerClaimTest {
    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    private final MutableClock clock = new MutableClock(SchedulesTest.START);
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private PostgresLocation location;
    private StateStore storeOne;
    private StateStore storeTwo;

    @BeforeEach
    void open() {
        location = PostgresLocation.parse(PG.database("claims"));
        storeOne = PostgresStateStore.open(location, ScheduleTables.ALL);
        storeTwo = PostgresStateStore.open(location, ScheduleTables.ALL);
    }

    @AfterEach
    void close() throws InterruptedException {
        threads.shutdownNow();
        assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS), "the ticks ended");
        storeTwo.close();
        storeOne.close();
    }

    /** Targets whose first start waits until the test lets it go, and that count every start; none succeeds. */
    private static final class GatedTargets implements ScheduleTargets {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final AtomicInteger starts = new AtomicInteger();

        @Override
        public Run startActor(String actorId, String userId, ScheduleAction.RunInput input,
                              ScheduleAction.RunOptions options, String scheduleId) {
            if (starts.incrementAndGet() == 1) {
                entered.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            throw new IllegalStateException("no runs in this test");
        }

        @Override
        public Run startTask(String taskId, String userId, ScheduleAction.RunInput input,
                             ScheduleAction.RunOptions options, String scheduleId) {
            throw new UnsupportedOperationException("no tasks in this test");
        }

        @Override
        public String taskId(String userId, String ref) {
            throw new UnsupportedOperationException("no tasks in this test");
        }

        @Override
        public boolean isActive(String runId) {
            return false;
        }
    }

    @Test
    void shouldLeaveAFireUnderWayOnAnotherDaemonToIt() throws Exception {
        GatedTargets targets = new GatedTargets();
        ScheduleService service = new ScheduleService(storeOne, clock);
        Schedule s = service.create("user", new ScheduleInput("every-minute", null, null, "* * * * *", "UTC", true,
                false, List.of(new ScheduleAction(null, ScheduleAction.RUN_ACTOR, "actor", null, null, null)), null),
                a -> a.actorId());
        Scheduler one = new Scheduler(service, targets, clock);
        Scheduler two = new Scheduler(new ScheduleService(storeTwo, clock), targets, clock);
        clock.advance(Duration.ofMinutes(1));

        Future<?> firing = threads.submit(one::tick);
        assertTrue(targets.entered.await(30, TimeUnit.SECONDS), "the first daemon starts the fire's run");
        Future<?> second = threads.submit(two::tick);
        while (!second.isDone() && lockWaiters() == 0) {
            Thread.sleep(20);
        }
        targets.release.countDown();
        firing.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        assertEquals(1, targets.starts.get(), "the fire's run was started once");
        List<String> log = service.log("user", s.id()).stream().map(ScheduleService.LogEntry::message).toList();
        assertEquals(List.of("Schedule invoked", "Cannot start \"actor\": no runs in this test"), log);
        assertEquals(0, storeTwo.table(ScheduleTables.SCHEDULE_FIRES_PENDING).count(), "the fire is finished");
        two.tick();
        assertEquals(1, targets.starts.get(), "and not again at the second daemon's next tick");
    }

    /** How many sessions of the database wait for an advisory lock (the second daemon's tick, once it got there). */
    private long lockWaiters() throws SQLException {
        try (Connection c = DriverManager.getConnection(location.jdbcUrl(), location.properties());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                     + " AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
