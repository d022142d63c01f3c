package io.actord.daemon.run;

import io.actord.daemon.state.Table;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestRuns;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The container-URL token index (#26 hardening): a run's token leads to it with one read of the index, from its start
 * until it is deleted (its entry goes with it); an unknown token and a finished run's token find nothing; an active
 * run stored before the index existed gets its entry at start ({@link RunRepository#indexContainerTokens}).
 */
class ContainerTokenIndexTest {
    private static final Duration GRACE = Duration.ofSeconds(1);

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();
    private TestDaemon d;
    private RunRepository repository;
    private Table<String, String> index;

    @BeforeEach
    void start() {
        d = TestDaemon.start(dir, runtime, GRACE);
        repository = new RunRepository(d.daemon().store());
        index = d.daemon().store().table(RunTables.RUNS_BY_CONTAINER_TOKEN);
    }

    @AfterEach
    void stop() {
        d.close();
    }

    @Test
    void shouldFindAnActiveRunByItsTokenFromStartToDeletion() throws Exception {
        String runId = startRunning();
        String token = stored(runId).containerUrlToken();
        assertEquals(Optional.of(runId), index.get(token), "written with the run");

        assertEquals(runId, repository.findActiveByContainerToken(token).orElseThrow().id());
        assertEquals(Optional.empty(), repository.findActiveByContainerToken("0" + token), "an unknown token");

        runtime.last().exit(ExitStatus.exited(0));
        TestRuns.awaitStatus(d.api(), runId, "SUCCEEDED");
        assertEquals(Optional.empty(), repository.findActiveByContainerToken(token), "a finished run's token");
        assertEquals(Optional.of(runId), index.get(token), "kept while the run is (it may be resurrected)");

        d.api().delete("/v2/actor-runs/" + runId).expect(204);
        assertEquals(Optional.empty(), index.get(token), "deleted with the run");
    }

    @Test
    void shouldIndexTheActiveRunsStoredWithoutAnEntry() throws Exception {
        String runId = startRunning();
        String token = stored(runId).containerUrlToken();
        index.delete(token);
        assertEquals(Optional.empty(), repository.findActiveByContainerToken(token), "no entry, no scan");

        assertEquals(1, repository.indexContainerTokens());
        assertEquals(runId, repository.findActiveByContainerToken(token).orElseThrow().id());
        assertEquals(0, repository.indexContainerTokens(), "once is enough");
    }

    private String startRunning() throws Exception {
        String actor = d.actor("web", "sleep", "60");
        String runId = d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        TestRuns.awaitStatus(d.api(), runId, "RUNNING");
        return runId;
    }

    private Run stored(String runId) {
        return d.daemon().store().table(RunTables.RUNS).get(runId).orElseThrow();
    }
}
