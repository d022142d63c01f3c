package io.actord.daemon.actor;

import io.actord.daemon.ActorDaemon;
import io.actord.daemon.state.PostgresLocation;
import io.actord.daemon.state.PostgresServer;
import io.actord.daemon.state.PostgresStateStore;
import io.actord.daemon.state.StateStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A build's end, stored by one daemon's {@link BuildStore}, is signalled to another's on the same PostgreSQL database
 * (#26: {@code waitForFinish} of a build across daemons); a change that is no end is not.
 */
class BuildEndSignalTest {
    /** A bound on waits that end in milliseconds when all is well, so a broken build fails instead of hanging. */
    private static final long HANG_SECS = 60;

    @RegisterExtension
    static final PostgresServer.Fixture PG = new PostgresServer.Fixture();

    @Test
    void shouldSignalTheEndOfABuildToTheOtherDaemon() throws Exception {
        PostgresLocation location = PostgresLocation.parse(PG.database("build_ends"));
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        try (StateStore one = PostgresStateStore.open(location, ActorDaemon.TABLES);
             StateStore two = PostgresStateStore.open(location, ActorDaemon.TABLES)) {
            Actor actor = new Actor(Actor.SCHEMA, "actorId0000000001", "annUserId00000001", "ann", "srv", null, null,
                    now, now, DefaultRunOptions.STANDARD, Map.of(), 0);
            one.table(ActorTables.ACTORS).put(actor.id(), actor);
            BuildStore builds = new ActorService(one, null, Clock.systemUTC()).buildStore();
            BlockingQueue<String> heard = new LinkedBlockingQueue<>();
            new ActorService(two, null, Clock.systemUTC()).buildStore().onBuildEnd(heard::add, () -> heard.add("missed"));
            assertEquals("missed", heard.poll(HANG_SECS, TimeUnit.SECONDS), "listening from now on");

            Build.Options options = new Build.Options(false, false, 4096, 8192, 1800);
            Build running = builds.add(actor.id(), "0.1", (seq, number) -> Build.ready("buildRunning00001", actor.id(),
                    actor.userId(), seq, number, now, "version 0.1", Build.Meta.API, options, "one"), List.of())
                    .withStatus(BuildStatus.RUNNING, null);
            builds.update(running);
            Build failed = builds.add(actor.id(), "0.1", (seq, number) -> Build.ready("buildFailed000001", actor.id(),
                    actor.userId(), seq, number, now, "version 0.1", Build.Meta.API, options, "one"), List.of())
                    .withStatus(BuildStatus.FAILED, now);
            builds.update(failed);
            assertEquals(failed.id(), heard.poll(HANG_SECS, TimeUnit.SECONDS), "READY and RUNNING are no end");

            builds.succeed(running.withStatus(BuildStatus.SUCCEEDED, now), List.of("latest"));
            assertEquals(running.id(), heard.poll(HANG_SECS, TimeUnit.SECONDS));
        }
    }
}
