package io.actord.daemon.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.RunEvent.ContainerLost;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.run.RunEvent.StartFailed;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures restartOnError turns into restarts, and the new run fields' storage. */
class RestartOnErrorTest {
    private static final Exited FAILED = new Exited(ExitStatus.exited(1));

    @Test
    void shouldRestartAFailureOfARunningRunWithTheOption() {
        RunEvent e = RestartOnError.event(run(RunStatus.RUNNING, true, 0), FAILED);
        RunEvent.RestartOnErrorRequested restart = assertInstanceOf(RunEvent.RestartOnErrorRequested.class, e);
        assertEquals("Actor finished with exit code 1 (restart 1 of " + RunOptions.MAX_RESTARTS + ")", restart.failure());
        assertInstanceOf(RunEvent.RestartOnErrorRequested.class, RestartOnError.event(run(RunStatus.RUNNING, true, 0),
                new ContainerLost("gone")));
        assertInstanceOf(RunEvent.RestartOnErrorRequested.class, RestartOnError.event(run(RunStatus.RUNNING, true, 0),
                new Exited(ExitStatus.killed(Signal.SIGKILL).withOomKilled(true))));
    }

    @Test
    void shouldLeaveEverythingElseAlone() {
        assertSame(FAILED, RestartOnError.event(run(RunStatus.RUNNING, false, 0), FAILED), "no option");
        assertSame(FAILED, RestartOnError.event(run(RunStatus.RUNNING, true, RunOptions.MAX_RESTARTS), FAILED), "cap");
        Exited ok = new Exited(ExitStatus.exited(0));
        assertSame(ok, RestartOnError.event(run(RunStatus.RUNNING, true, 0), ok), "a success");
        StartFailed noStart = new StartFailed("no rootfs");
        assertSame(noStart, RestartOnError.event(run(RunStatus.RUNNING, true, 0), noStart), "cannot start");
        for (RunStatus s : new RunStatus[] {RunStatus.READY, RunStatus.TIMING_OUT, RunStatus.ABORTING, RunStatus.FAILED}) {
            assertSame(FAILED, RestartOnError.event(run(s, true, 0), FAILED), s.wireName());
        }
    }

    @Test
    void shouldCountARestartAndClearTheExitCode() {
        Run run = run(RunStatus.RUNNING, true, 1).toBuilder().exitCode(1).build();
        RunEvent e = RestartOnError.event(run, FAILED);
        Transition.Move move = (Transition.Move) RunStateMachine.next(run.status(), e);
        Run next = RunMoves.next(run, move, e, Instant.EPOCH, java.time.Duration.ZERO, null).build();
        assertEquals(2, next.restartCount());
        assertNull(next.exitCode());
        assertNull(next.container());
        assertEquals(RunStatus.RUNNING, next.status());
        assertTrue(next.containerId().endsWith("-2"), next.containerId());
    }

    @Test
    void shouldLoadARunStoredBeforeTheNewFields() throws Exception {
        Run run = run(RunStatus.SUCCEEDED, false, 0);
        ObjectNode stored = Json.MAPPER.valueToTree(run);
        stored.remove(List.of("restartCount", "charges"));
        ((ObjectNode) stored.get("options")).remove(List.of("maxItems", "maxTotalChargeUsd", "restartOnError"));

        Run loaded = Json.MAPPER.treeToValue(stored, Run.class);

        assertEquals(0, loaded.restartCount());
        assertEquals(RunCharges.NONE, loaded.charges());
        assertNull(loaded.options().maxItems());
        assertNull(loaded.options().maxTotalChargeUsd());
        assertFalse(loaded.options().restartOnError());
        assertEquals(run.id(), loaded.id());
    }

    @Test
    void shouldStoreTheNewFields() throws Exception {
        Run run = run(RunStatus.RUNNING, true, 2).toBuilder()
                .options(RunOptions.of("latest", 0, new RunSize(1024), RunNetwork.ISOLATED).with(new StartLimits(
                        Optional.of(5L), Optional.of(2.5), Optional.of(true))))
                .charges(RunCharges.NONE.charge("page", 3, "k")).build();
        Run loaded = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(run), Run.class);
        assertEquals(run, loaded);
    }

    private static Run run(RunStatus status, boolean restartOnError, int restarts) {
        RunOptions options = RunOptions.of("latest", 0, new RunSize(1024), RunNetwork.ISOLATED)
                .with(new StartLimits(Optional.empty(), Optional.empty(), Optional.of(restartOnError)));
        return new Run.Builder().id("r1").actId("a").userId("u").build("b", "0.0.1").status(status, null)
                .startedAt(Instant.EPOCH).options(options).storages("k", "d", "q").restartCount(restarts).build();
    }
}
