package io.actord.runtime;

import io.actord.cgroups.testing.Host;
import io.actord.runtime.testing.SpecBuilder;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Container#exec}: a command in a running container runs as the container's own processes do (user,
 * hostname, cgroup, environment, working directory, capabilities, no_new_privs, seccomp, limits), reads its
 * stdin, returns its exit code, gets a terminal of the container's own, and dies with the container; and every
 * container's processes get the spec's limits and oom_score_adj instead of the daemon's.
 */
@Tag("privileged")
class ExecIT {
    private static final Duration WAIT = Host.patience(Duration.ofSeconds(20));
    private static final Path OOM_SCORE_ADJ = Path.of("/proc/self/oom_score_adj");
    /** What a process of the container says about itself; the entrypoint and an exec must say the same. */
    private static final String PROBE = "id; cat /proc/self/uid_map; hostname; cat /proc/self/cgroup; echo \"$FOO\"; pwd;"
            + " grep -E '^(CapInh|CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs|Seccomp):' /proc/self/status;"
            + " cat /proc/self/oom_score_adj; grep -E '^Max (open files|core file size)' /proc/self/limits";
    private static TestRuntime rt;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(ExecIT.class);
    }

    @AfterAll
    static void close() throws Exception {
        if (rt != null) {
            rt.close();
        }
    }

    /** What an exec printed and how it ended. */
    private record Result(String out, String err, ExitStatus exit) {
    }

    @Test
    void shouldRunTheCommandAsTheContainersOwnProcessesRun() throws Exception {
        String daemonScore = Files.readString(OOM_SCORE_ADJ).strip();
        // The daemon's score must not reach the container (init and exec reset it). Under systemd it is -500;
        // here +300, which needs no CAP_SYS_RESOURCE (this build machine withholds it) and can be undone.
        Files.writeString(OOM_SCORE_ADJ, "300");
        try (Container c = create(rt.spec("probe", "/bin/sh", "-c", PROBE + "; echo ready; exec sleep 1000")
                .user(new ContainerSpec.User(1000, 1000, List.of())).hostname("exec-it").env("FOO", "bar baz")
                .workDir("/bin"))) {
            String entrypoint = linesUntil(c.output().orElseThrow(), "ready");

            Result exec = run(c.exec(command("/bin/sh", "-c", PROBE)), null);

            assertEquals(entrypoint, exec.out(), "stderr: " + exec.err());
            assertEquals(0, exec.exit().code());
            for (String expected : List.of("uid=1000", "gid=1000", "\nexec-it\n", "\nbar baz\n/bin\n", "NoNewPrivs:\t1",
                    "Seccomp:\t2", "\n0\n", String.format("Max open files            %-20d %-20d ", 1024,
                            expectedHardNofile()), "Max core file size        0                    0")) {
                assertTrue(entrypoint.contains(expected), expected + " in:\n" + entrypoint);
            }
            // --userns auto gives the container a user namespace only where its layers can be idmapped (not on
            // UML's hostfs; UserNamespaceIT tests that): its uid_map must show what it has, and the exec, whose
            // output equals the entrypoint's, joined it.
            boolean own = !Files.readSymbolicLink(Path.of("/proc/" + c.pid() + "/ns/user"))
                    .equals(Files.readSymbolicLink(Path.of("/proc/self/ns/user")));
            assertEquals(own, !entrypoint.contains(" 4294967295\n"),
                    "the uid_map of its user namespace:\n" + entrypoint);
            assertTrue(entrypoint.lines().filter(l -> l.matches("\\d+:[^:]*:.*")).allMatch(l -> l.endsWith(":/")),
                    "the container's cgroup is the root of its cgroup namespace:\n" + entrypoint);
        } finally {
            Files.writeString(OOM_SCORE_ADJ, daemonScore);
        }
    }

    @Test
    void shouldPassStdinFromTheContainersCgroupAndReturnTheExitCode() throws Exception {
        try (Container c = create(rt.spec("stdin", "/bin/payload", "sleep", "1000"))) {
            ExecProcess exec = c.exec(new ExecSpec(List.of("/bin/sh", "-c", "cat; exit 7"), true, Optional.empty()));
            assertTrue(rt.cgroups().find("it-stdin").orElseThrow().pids().contains(exec.pid()),
                    "the exec sits in the container's cgroup");

            Result r = run(exec, "hello\nworld\n");

            assertEquals("hello\nworld\n", r.out());
            assertEquals(ExitStatus.exited(7), r.exit());
        }
    }

    @Test
    void shouldGiveTheCommandATerminalOfTheContainersOwnAndResizeIt() throws Exception {
        try (Container c = create(rt.spec("tty", "/bin/payload", "sleep", "1000"))) {
            Result tty = run(c.exec(new ExecSpec(List.of("/bin/sh", "-c", "test -t 0 && tty && stty size"), false,
                    Optional.of(new TerminalSize(30, 100)))), null);
            assertEquals(0, tty.exit().code(), tty.toString());
            assertEquals("/dev/pts/0\r\n30 100\r\n", tty.out());

            ExecProcess resized = c.exec(new ExecSpec(List.of("/bin/sh", "-c", "read line; stty size"), true,
                    Optional.of(new TerminalSize(30, 100))));
            resized.resize(new TerminalSize(40, 120));
            Result r = run(resized, "go\n");
            assertTrue(r.out().endsWith("40 120\r\n"), r.toString());
        }
    }

    @Test
    void shouldExit127WithAMessageWhenTheCommandIsNotFound() throws Exception {
        try (Container c = create(rt.spec("nope", "/bin/payload", "sleep", "1000"))) {
            Result r = run(c.exec(command("/bin/nope")), null);

            assertEquals(127, r.exit().code());
            assertEquals("actord-init: exec /bin/nope: No such file or directory\n", r.err());
        }
    }

    @Test
    void shouldEndTheCommandWithTheContainerAndLeaveNothing() throws Exception {
        ExecProcess exec;
        try (Container c = create(rt.spec("ends", "/bin/payload", "sleep", "1000"))) {
            exec = c.exec(command("/bin/payload", "sleep", "1000"));
            InputStream out = exec.stdout();
            c.signal(Signal.SIGTERM);

            assertEquals(ExitStatus.killed(Signal.SIGKILL), exec.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    "killed with the container's pid namespace");
            assertEquals(-1, out.read(), "its output ends");
            out.close();
            assertTrue(c.awaitExit(WAIT).isPresent());
        }
        assertTrue(ProcessHandle.of(exec.pid()).isEmpty(), "actord-init --exec reaped");
        assertTrue(rt.cgroups().find("it-ends").isEmpty(), "cgroup removed");
    }

    @Test
    void shouldKillTheCommandWhenAskedAndKeepTheContainer() throws Exception {
        try (Container c = create(rt.spec("kill", "/bin/payload", "sleep", "1000"))) {
            ExecProcess exec = c.exec(command("/bin/payload", "sleep", "1000"));
            exec.close();

            assertEquals(ExitStatus.killed(Signal.SIGKILL), exec.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(-1, exec.stdout().read(), "the command died with its parent (PR_SET_PDEATHSIG)");
            assertFalse(c.onExit().isDone(), "the container runs on");
        }
    }

    @Test
    void shouldRefuseAContainerThatHasEnded() {
        try (Container c = create(rt.spec("ended", "/bin/payload", "exit", "0"))) {
            assertTrue(c.awaitExit(WAIT).isPresent());

            ContainerException e = assertThrows(ContainerException.class, () -> c.exec(command("/bin/true")));

            assertTrue(e.getMessage().contains("has ended"), e.getMessage());
        }
    }

    @Test
    void shouldApplyTheSpecsOwnLimits() throws Exception {
        ProcessLimits limits = new ProcessLimits(300, List.of(
                new ProcessLimits.Rlimit(ProcessLimits.Resource.NOFILE, 2048, 4096)));
        String probe = "cat /proc/self/oom_score_adj; grep '^Max open files' /proc/self/limits";
        SpecBuilder spec = rt.spec("limits", "/bin/sh", "-c", probe + "; echo ready; exec sleep 1000");
        try (Container c = rt.runtime().create(spec.build().withLimits(limits))) {
            String entrypoint = linesUntil(c.output().orElseThrow(), "ready");
            Result exec = run(c.exec(command("/bin/sh", "-c", probe)), null);

            assertTrue(entrypoint.matches("300\nMax open files +2048 +4096 +files *\n"), entrypoint);
            assertEquals(entrypoint, exec.out());
        }
    }

    /**
     * 524288, unless this process may not raise its hard limit that far (no CAP_SYS_RESOURCE, as on this build
     * machine): init then keeps the hard limit it has.
     */
    private static long expectedHardNofile() throws IOException {
        boolean canRaise = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(l -> l.startsWith("CapEff:")).map(l -> Long.parseLong(l.substring(7).strip(), 16))
                .anyMatch(caps -> (caps & (1L << 24)) != 0);
        long own = Files.readAllLines(Path.of("/proc/self/limits")).stream()
                .filter(l -> l.startsWith("Max open files")).map(l -> l.substring(47).split("\\s+")[0])
                .map(v -> v.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(v)).findFirst().orElseThrow();
        return canRaise ? 524_288 : Math.min(524_288, own);
    }

    private static Container create(SpecBuilder spec) {
        return rt.runtime().create(spec.build());
    }

    private static ExecSpec command(String... command) {
        return new ExecSpec(List.of(command), false, Optional.empty());
    }

    /** Writes {@code stdin} (if any) and closes it, reads both outputs to their end, and waits for the exit. */
    private static Result run(ExecProcess exec, String stdin) throws Exception {
        try (exec) {
            CompletableFuture<String> out = readAll(exec.stdout());
            CompletableFuture<String> err = exec.stderr().map(ExecIT::readAll)
                    .orElse(CompletableFuture.completedFuture(""));
            if (stdin != null) {
                exec.stdin().write(stdin.getBytes(StandardCharsets.UTF_8));
                exec.stdin().close();
            }
            ExitStatus exit = exec.onExit().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return new Result(out.get(WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(WAIT.toMillis(), TimeUnit.MILLISECONDS), exit);
        }
    }

    private static CompletableFuture<String> readAll(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The entrypoint's output lines up to {@code last} (left out), each with its newline. */
    private static String linesUntil(InputStream output, String last) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
        StringBuilder lines = new StringBuilder();
        for (String l; (l = in.readLine()) != null; ) {
            if (l.equals(last)) {
                return lines.toString();
            }
            lines.append(l).append('\n');
        }
        throw new AssertionError("the output ended before \"" + last + "\":\n" + lines);
    }
}
