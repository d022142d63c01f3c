package io.actord.daemon.run;

import io.actord.daemon.run.RunEvent.AbortRequested;
import io.actord.daemon.run.RunEvent.ContainerLost;
import io.actord.daemon.run.RunEvent.Exited;
import io.actord.daemon.run.RunEvent.GraceExpired;
import io.actord.daemon.run.RunEvent.MetamorphRequested;
import io.actord.daemon.run.RunEvent.RebootRequested;
import io.actord.daemon.run.RunEvent.ResurrectRequested;
import io.actord.daemon.run.RunEvent.StartFailed;
import io.actord.daemon.run.RunEvent.Started;
import io.actord.daemon.run.RunEvent.TimeoutElapsed;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunStateMachineTest {
    /** Every event the machine knows, with the exit variants that lead to different outcomes. */
    private static final Map<String, RunEvent> EVENTS = new LinkedHashMap<>();

    static {
        EVENTS.put("Started", new Started(42));
        EVENTS.put("StartFailed", new StartFailed("no rootfs"));
        EVENTS.put("Exited0", new Exited(ExitStatus.exited(0)));
        EVENTS.put("Exited1", new Exited(ExitStatus.exited(1)));
        EVENTS.put("ExitedOom", new Exited(ExitStatus.killed(Signal.SIGKILL).withOomKilled(true)));
        EVENTS.put("Lost", new ContainerLost("gone"));
        EVENTS.put("Timeout", new TimeoutElapsed());
        EVENTS.put("AbortGraceful", new AbortRequested(true));
        EVENTS.put("AbortNow", new AbortRequested(false));
        EVENTS.put("GraceExpired", new GraceExpired());
        EVENTS.put("Resurrect", new ResurrectRequested());
        EVENTS.put("Reboot", new RebootRequested());
        EVENTS.put("Metamorph", new MetamorphRequested(new Metamorph(Instant.EPOCH, "target", "build",
                "INPUT-METAMORPH-1"), "0.0.1"));
        EVENTS.put("RestartOnError", new RunEvent.RestartOnErrorRequested("Actor finished with exit code 1"));
    }

    /**
     * The expected table, one row per status, in the order of {@link #EVENTS}. "STATUS[EFFECT,...]" is a move,
     * "-" an ignore, "x" a reject.
     */
    private static final Map<RunStatus, String> TABLE = new LinkedHashMap<>();

    static {
        String terminal = "- - - - - - - - - - - RUNNING[START_CONTAINER,ARM_TIMEOUT] x x -";
        TABLE.put(RunStatus.READY, "RUNNING[ARM_TIMEOUT] FAILED[CANCEL_TIMERS] SUCCEEDED[CANCEL_TIMERS] "
                + "FAILED[CANCEL_TIMERS] FAILED[CANCEL_TIMERS] FAILED[CANCEL_TIMERS] - ABORTED[CANCEL_TIMERS,KILL] "
                + "ABORTED[CANCEL_TIMERS,KILL] - x x x -");
        TABLE.put(RunStatus.RUNNING, "- FAILED[CANCEL_TIMERS] SUCCEEDED[CANCEL_TIMERS] FAILED[CANCEL_TIMERS] "
                + "FAILED[CANCEL_TIMERS] FAILED[CANCEL_TIMERS] TIMING_OUT[SEND_SIGTERM,ARM_GRACE] "
                + "ABORTING[SEND_SIGTERM,ARM_GRACE] ABORTED[CANCEL_TIMERS,KILL] - x RUNNING[START_CONTAINER] "
                + "RUNNING[START_CONTAINER] RUNNING[START_CONTAINER]");
        TABLE.put(RunStatus.TIMING_OUT, "- - TIMED_OUT[CANCEL_TIMERS] TIMED_OUT[CANCEL_TIMERS] "
                + "TIMED_OUT[CANCEL_TIMERS] TIMED_OUT[CANCEL_TIMERS] - ABORTING[] ABORTED[CANCEL_TIMERS,KILL] "
                + "TIMED_OUT[CANCEL_TIMERS,KILL] x x x -");
        TABLE.put(RunStatus.ABORTING, "- - ABORTED[CANCEL_TIMERS] ABORTED[CANCEL_TIMERS] ABORTED[CANCEL_TIMERS] "
                + "ABORTED[CANCEL_TIMERS] - - - ABORTED[CANCEL_TIMERS,KILL] x x x -");
        for (RunStatus s : List.of(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMED_OUT, RunStatus.ABORTED)) {
            TABLE.put(s, terminal.substring(2));
        }
    }

    static Stream<Arguments> everyStatusAndEvent() {
        List<Arguments> cases = new ArrayList<>();
        List<String> names = new ArrayList<>(EVENTS.keySet());
        for (RunStatus status : RunStatus.values()) {
            String[] expected = TABLE.get(status).split(" ");
            assertEquals(names.size(), expected.length, "row " + status + " must cover every event");
            for (int i = 0; i < names.size(); i++) {
                cases.add(Arguments.of(status, names.get(i), expected[i]));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @MethodSource("everyStatusAndEvent")
    void shouldFollowTheTable(RunStatus status, String eventName, String expected) {
        Transition t = RunStateMachine.next(status, EVENTS.get(eventName));
        assertEquals(expected, describe(t), () -> status + " + " + eventName + " gave " + t);
    }

    @Test
    void shouldCoverEveryEventKind() {
        assertEquals(EVENTS.values().stream().map(RunEvent::kind).collect(Collectors.toSet()),
                Stream.of(RunEvent.Kind.values()).collect(Collectors.toSet()));
    }

    @Test
    void shouldSayWhichReplacementARunRefuses() {
        Transition t = RunStateMachine.next(RunStatus.SUCCEEDED, EVENTS.get("Metamorph"));
        assertEquals("the run is SUCCEEDED; only a running run can be metamorphed", ((Transition.Reject) t).reason());
        assertEquals("Actor run was metamorphed",
                ((Transition.Move) RunStateMachine.next(RunStatus.RUNNING, EVENTS.get("Metamorph"))).statusMessage());
    }

    @Test
    void shouldSayOutOfMemoryWhenTheOomKillerEndedTheRun() {
        Transition t = RunStateMachine.next(RunStatus.RUNNING, EVENTS.get("ExitedOom"));
        assertTrue(((Transition.Move) t).statusMessage().contains("out of memory"), t.toString());
    }

    @Test
    void shouldGiveTheExitCodeWhenTheRunFails() {
        Transition t = RunStateMachine.next(RunStatus.RUNNING, new Exited(ExitStatus.exited(3)));
        assertEquals("Actor finished with exit code 3", ((Transition.Move) t).statusMessage());
    }

    @Test
    void shouldNameTheSignalThatKilledTheRun() {
        Transition t = RunStateMachine.next(RunStatus.RUNNING, new Exited(ExitStatus.killed(Signal.SIGSEGV)));
        assertTrue(((Transition.Move) t).statusMessage().contains("SIGSEGV"), t.toString());
    }

    @Test
    void shouldSayWhyTheStartFailed() {
        Transition t = RunStateMachine.next(RunStatus.READY, new StartFailed("rootfs missing"));
        assertEquals("Actor failed to start: rootfs missing", ((Transition.Move) t).statusMessage());
    }

    private static String describe(Transition t) {
        if (t instanceof Transition.Move m) {
            return m.to() + m.effects().stream().map(Enum::name).collect(Collectors.joining(",", "[", "]"));
        }
        return t instanceof Transition.Ignore ? "-" : "x";
    }
}
