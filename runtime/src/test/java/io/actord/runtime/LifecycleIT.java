package io.actord.runtime;

import io.actord.cgroups.CgroupStats;
import io.actord.cgroups.testing.Host;
import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How containers end, are signalled, killed, closed and found again after a daemon restart. */
@Tag("privileged")
class LifecycleIT {
    private static final Duration EXIT = Host.patience(Duration.ofSeconds(10));
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(LifecycleIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    private static Container create(SpecBuilder spec) {
        return rt.runtime().create(spec.build());
    }

    private static ExitStatus exit(Container c) {
        return c.awaitExit(EXIT).orElseThrow(() -> new AssertionError(c + " did not exit within " + EXIT));
    }

    private static BufferedReader reader(Container c) {
        return new BufferedReader(new InputStreamReader(c.output().orElseThrow(), StandardCharsets.UTF_8));
    }

    /** Reads output lines until one equals {@code line}. */
    private static void awaitLine(BufferedReader out, String line) throws Exception {
        for (String l; (l = out.readLine()) != null; ) {
            if (l.equals(line)) {
                return;
            }
        }
        throw new AssertionError("output ended before \"" + line + "\"");
    }

    @Test
    void shouldReportTheExitCode() {
        try (Container c = create(rt.spec("exit3", "/bin/payload", "exit", "3"))) {
            assertEquals(ExitStatus.exited(3), exit(c));
            assertEquals(ExitStatus.exited(3), c.onExit().join());
        }
    }

    /** 121 layers named as the layer store names them: their absolute paths take three pages of mount options. */
    @Test
    void shouldStackMoreLayersThanOnePageOfAbsolutePathsHolds() throws Exception {
        List<Path> layers = new java.util.ArrayList<>();
        for (int i = 0; i < 120; i++) {
            Path layer = Files.createDirectories(rt.base().resolve("layers/sha256/" + String.format("%064x", i))
                    .resolve("stack"));
            Files.writeString(layer.resolve("l" + i), "");
            Files.writeString(layer.resolve("top"), Integer.toString(i));
            layers.add(layer.getParent());
        }

        String out = rt.run(rt.spec("layers", "/bin/sh", "-c", "ls /stack | grep -c l; cat /stack/top").layers(layers));

        assertEquals("120\n119", out.strip());
    }

    @Test
    void shouldReportADeathBySignal() {
        try (Container c = create(rt.spec("signal", "/bin/payload", "kill-self", "15"))) {
            ExitStatus status = exit(c);
            assertEquals(ExitStatus.killed(Signal.SIGTERM), status);
            assertEquals(143, status.code());
            assertFalse(status.oomKilled());
        }
    }

    @Test
    void shouldFailCreateWithInitsMessageWhenExecFailsAndLeaveNothing() {
        SpecBuilder spec = rt.spec("nope", "/bin/nope");

        ContainerException e = assertThrows(ContainerException.class, () -> rt.runtime().create(spec.build()));

        assertTrue(e.getMessage().contains("actord-init: exec /bin/nope: ENOENT (No such file or directory)"),
                e.getMessage());
        assertEquals(0, e.getSuppressed().length, "every undo step succeeded: " + List.of(e.getSuppressed()));
        assertFalse(Files.exists(spec.build().runDir()), "run directory removed");
        assertTrue(rt.cgroups().find("it-nope").isEmpty(), "cgroup removed");
    }

    /** The hook sees init placed in its cgroup with no workload yet: init forks the entrypoint only after "go". */
    @Test
    void shouldRunTheBeforeStartHookBeforeTheWorkload() {
        List<String> childrenAtHook = new java.util.ArrayList<>();
        ContainerRuntime.BeforeStart hook = container -> {
            try {
                childrenAtHook.add(Files.readString(
                        Path.of("/proc/" + container.pid() + "/task/" + container.pid() + "/children")).strip());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        try (Container c = rt.runtime().create(rt.spec("hook", "/bin/payload", "exit", "0").build(), hook)) {
            assertEquals(ExitStatus.exited(0), exit(c));
        }
        assertEquals(List.of(""), childrenAtHook, "actord-init had no child yet");
    }

    @Test
    void shouldUndoTheCreateWhenTheBeforeStartHookFails() {
        SpecBuilder spec = rt.spec("hookfail", "/bin/payload", "sleep", "60");

        ContainerException e = assertThrows(ContainerException.class, () -> rt.runtime().create(spec.build(),
                container -> {
                    throw new IllegalStateException("no listener for you");
                }));

        assertTrue(e.getMessage().contains("no listener for you"), e.getMessage());
        assertFalse(Files.exists(spec.build().runDir()), "run directory removed");
        assertTrue(rt.cgroups().find("it-hookfail").isEmpty(), "cgroup removed");
    }

    @Test
    void shouldReportAnInitSetupErrorSuchAsAMissingWorkDir() {
        ContainerException e = assertThrows(ContainerException.class,
                () -> rt.runtime().create(rt.spec("workdir", "/bin/true").workDir("/nonexistent").build()));

        assertTrue(e.getMessage().endsWith("actord-init: chdir /nonexistent: ENOENT (No such file or directory)"),
                e.getMessage());
    }

    @Test
    void shouldForwardSigtermToTheWorkload() throws Exception {
        try (Container c = create(rt.spec("trap", "/bin/payload", "trap-term"))) {
            BufferedReader out = reader(c);
            awaitLine(out, "ready");

            c.signal(Signal.SIGTERM);

            awaitLine(out, "got SIGTERM");
            assertEquals(ExitStatus.exited(0), exit(c));
        }
    }

    @Test
    void shouldReapOrphanedZombies() {
        String out = rt.run(rt.spec("zombies", "/bin/payload", "zombies", "50"));

        assertEquals("zombies: 0", out.strip());
    }

    @Test
    void shouldKillEverythingEvenWhatIgnoresSigterm() throws Exception {
        try (Container c = create(rt.spec("kill", "/bin/sh", "-c",
                "trap '' TERM; sleep 1000 & sleep 1000 & /bin/payload trap-term & echo started; wait"))) {
            awaitLine(reader(c), "started");
            long start = System.nanoTime();

            c.kill();

            ExitStatus status = exit(c);
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitStatus.killed(Signal.SIGKILL), status);
            System.out.println("LifecycleIT: kill() ended the container in " + millis + " ms");
            CgroupStats stats = c.stats();
            assertEquals(0, stats.pidsCurrent(), "nothing left in the cgroup: " + stats);
        }
    }

    @Test
    void shouldCloseARunningContainer() {
        Container c = create(rt.spec("close", "/bin/payload", "sleep", "1000"));
        Path runDir = c.state().runDir();

        c.close();
        c.close();

        assertEquals(ExitStatus.killed(Signal.SIGKILL), exit(c));
        assertFalse(Files.exists(runDir));
        assertTrue(rt.cgroups().find("it-close").isEmpty());
    }

    @Test
    void shouldAppendOutputToAFileOrDiscardIt() throws Exception {
        Path log = rt.base().resolve("out.log");
        Files.writeString(log, "earlier\n");
        try (Container c = create(rt.spec("tofile", "/bin/sh", "-c", "echo out; echo err >&2")
                .output(new Output.ToFile(log)))) {
            exit(c);
            assertTrue(c.output().isEmpty());
        }
        assertEquals("earlier\nout\nerr\n", Files.readString(log));

        try (Container c = create(rt.spec("discard", "/bin/sh", "-c", "echo out").output(new Output.Discard()))) {
            assertEquals(ExitStatus.exited(0), exit(c));
        }
    }

    /**
     * A daemon restart: the runtime that made the container goes away, a new one re-attaches by pid and
     * start time, gets the output pipe back from init's copy, signals the workload and sees it end.
     */
    @Test
    void shouldReattachToALiveContainerAfterARestart() throws Exception {
        ContainerState state;
        try (LinuxContainerRuntime first = rt.reopen()) {
            Container c = first.create(rt.spec("reattach", "/bin/payload", "trap-term").build());
            state = c.state();
            awaitLine(reader(c), "ready");
        }
        try (LinuxContainerRuntime second = rt.reopen()) {
            Container c = second.attach(state).orElseThrow();
            try (c) {
                assertEquals(state.pid(), c.pid());
                BufferedReader out = reader(c);

                c.signal(Signal.SIGTERM);

                awaitLine(out, "got SIGTERM");
                assertEquals(ExitStatus.exited(0), exit(c));
            }
            assertFalse(Files.exists(state.runDir()));
            assertEquals(Optional.empty(), second.attach(state), "gone once closed");
        }
    }

    /** A container that ended while no daemon watched: its status comes from the file init wrote. */
    @Test
    void shouldReadTheExitOfAContainerThatEndedWhileNoDaemonWatched() throws Exception {
        ContainerState state;
        try (LinuxContainerRuntime first = rt.reopen()) {
            state = first.create(rt.spec("ended", "/bin/sh", "-c", "sleep 0.2; exit 7").build()).state();
        }
        // The old daemon is gone; in production the host's init reaps its children. Here it is this JVM.
        assertEquals(7, new JnaLinux().waitpid(state.pid(), false).orElseThrow().exitCode());

        LinuxContainerRuntime runtime = rt.runtime();
        assertEquals(Optional.empty(), runtime.attach(state));
        assertEquals(Optional.of(ExitStatus.exited(7)), runtime.exitStatusOf(state));

        runtime.cleanUp(state);
        runtime.cleanUp(state);

        assertFalse(Files.exists(state.runDir()));
        assertTrue(rt.cgroups().find("it-ended").isEmpty());
    }
}
