package io.actord.daemon.run;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run becomes when its host is gone (#26), for every status: the contract with placement (unplaced: no owner,
 * no container, epoch + 1; a RUNNING run also counts a migration and keeps what the platform keeps across one), the
 * ends a timeout or an abort had decided, and no settling of a run that has ended.
 */
class RunMigrationTest {
    private static final Instant STARTED = Instant.parse("2026-01-01T10:00:00Z");
    private static final Instant NOW = STARTED.plusSeconds(600);

    @ParameterizedTest
    @EnumSource(RunStatus.class)
    void shouldSettleARunOfADepartedHostAsItsStatusSays(RunStatus status) {
        Run run = run(status);
        if (status.isTerminal()) {
            assertThrows(IllegalStateException.class, () -> RunMigration.settled(run, NOW, "its host h1 left"));
            return;
        }
        Run next = RunMigration.settled(run, NOW, "its host h1 left");
        assertEquals(run.epoch() + 1, next.epoch(), "every settlement fences the departed host");
        switch (status) {
            case RUNNING, READY -> {
                assertEquals(status, next.status());
                assertNull(next.ownerHost());
                assertNull(next.container());
                assertTrue(new RunOwner("h2", true).inCluster().unplaced(next), "unplaced, in placement's terms");
                assertEquals(status == RunStatus.RUNNING ? 1 : 0, next.migrationCount());
                assertEquals(run.containerUrlToken(), next.containerUrlToken());
                assertEquals(run.defaultDatasetId(), next.defaultDatasetId());
                assertEquals(run.timeoutAt(), next.timeoutAt());
                assertNull(next.finishedAt());
            }
            case TIMING_OUT, ABORTING -> {
                assertEquals(status == RunStatus.TIMING_OUT ? RunStatus.TIMED_OUT : RunStatus.ABORTED, next.status());
                assertEquals(NOW, next.finishedAt());
                assertNotNull(next.ownerHost(), "an end is no move: the run stays its last host's");
                assertEquals(0, next.migrationCount());
            }
            default -> throw new AssertionError("unexpected status " + status);
        }
    }

    private static Run run(RunStatus status) {
        return new Run.Builder().id("r1").actId("a").userId("u").build("b", "0.0.1").status(status, null)
                .startedAt(STARTED).options(RunOptions.of("latest", 3600, 1024)).storages("kvs", "ds", "rq")
                .containerUrlToken("token").timeoutAt(STARTED.plusSeconds(3600)).ownerHost("h1").epoch(4)
                .container(new ContainerRef("r1-0", 1234, 99, "/state/containers/r1-0")).build();
    }
}
