package io.actord.daemon.run;

import io.actord.daemon.common.Json;
import io.actord.daemon.run.RunEvent.AbortRequested;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.runoptions.RunSize;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The daemon's own stop of a run (an idle standby run): a graceful abort that ends SUCCEEDED. */
class RunStopTest {
    private static final AbortRequested STOP = new AbortRequested(true, true);

    @Test
    void shouldStopARunningRunAsAGracefulAbortMarkedStopping() {
        Run stopping = after(run(RunStatus.RUNNING), STOP);
        assertEquals(RunStatus.ABORTING, stopping.status());
        assertTrue(stopping.stopping());
        assertEquals(RunStateMachine.STOPPING_MESSAGE, stopping.statusMessage());
        assertEquals(Instant.EPOCH.plusSeconds(30), stopping.graceUntil());
    }

    @Test
    void shouldEndAStoppingRunSucceededWhateverItsExitAndKillItWhenTheGraceEnds() {
        Run stopping = after(run(RunStatus.RUNNING), STOP);
        for (RunEvent e : List.of(new Exited(ExitStatus.exited(0)), new Exited(ExitStatus.killed(Signal.SIGTERM)),
                new RunEvent.ContainerLost("gone"))) {
            Transition.Move end = assertInstanceOf(Transition.Move.class, RunStateMachine.next(stopping, e));
            assertEquals(RunStatus.SUCCEEDED, end.to(), e.toString());
            assertEquals(RunStateMachine.STOPPED_MESSAGE, end.statusMessage());
        }
        Transition.Move grace = assertInstanceOf(Transition.Move.class, RunStateMachine.next(stopping,
                new RunEvent.GraceExpired()));
        assertEquals(RunStatus.SUCCEEDED, grace.to());
        assertTrue(grace.effects().contains(Effect.KILL));
    }

    @Test
    void shouldLeaveAUsersAbortAndOtherStatusesAsTheyWere() {
        Run aborting = after(run(RunStatus.RUNNING), new AbortRequested(true));
        assertFalse(aborting.stopping());
        assertEquals(RunStatus.ABORTED, ((Transition.Move) RunStateMachine.next(aborting,
                new Exited(ExitStatus.exited(0)))).to());
        Run timingOut = after(run(RunStatus.TIMING_OUT), STOP);
        assertEquals(RunStatus.ABORTING, timingOut.status());
        assertFalse(timingOut.stopping(), "a stop of a run that is timing out is a graceful abort");
        assertEquals(RunStatus.ABORTED, ((Transition.Move) RunStateMachine.next(run(RunStatus.READY), STOP)).to());
    }

    @Test
    void shouldKeepTheStopAcrossARestartAndForgetItOnResurrection() throws Exception {
        Run stopping = after(run(RunStatus.RUNNING), STOP);
        Run stored = Json.MAPPER.readValue(Json.MAPPER.writeValueAsBytes(stopping), Run.class);
        assertTrue(stored.stopping());
        Run ended = after(stopping, new Exited(ExitStatus.exited(143)));
        Run resurrected = RunMoves.next(ended, (Transition.Move) RunStateMachine.next(ended,
                new RunEvent.ResurrectRequested()), new RunEvent.ResurrectRequested(), Instant.EPOCH,
                Duration.ofSeconds(30), new Resurrection("b", "0.0.1", ended.options())).build();
        assertFalse(resurrected.stopping());
    }

    private static Run after(Run run, RunEvent event) {
        Transition.Move move = (Transition.Move) RunStateMachine.next(run, event);
        return RunMoves.next(run, move, event, Instant.EPOCH, Duration.ofSeconds(30), null).build();
    }

    private static Run run(RunStatus status) {
        return new Run.Builder().id("r1").actId("a").userId("u").build("b", "0.0.1").status(status, null)
                .startedAt(Instant.EPOCH).options(RunOptions.of("latest", 0, new RunSize(1024), RunNetwork.ISOLATED))
                .storages("k", "d", "q").build();
    }
}
