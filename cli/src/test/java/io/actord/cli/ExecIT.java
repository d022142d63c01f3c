package io.actord.cli;

import io.actord.cli.testing.Actorctl;
import io.actord.cli.testing.Cli;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code actorctl exec} against a daemon with the real runtime: the command runs as the run's own processes
 * (user, hostname, cgroup as the run itself printed them), reads stdin, gets a tty, and actorctl exits with its
 * code; only the admin may exec (a user's token over TCP is refused even with --exec-over-tcp true), and a
 * finished run is refused with its status, exit 125. Once through the packaged bin/actorctl too.
 */
@Tag("privileged")
class ExecIT {
    /** What a run's process says about itself, its limits included. */
    private static final String PROBE = "id; hostname; cat /proc/self/cgroup; cat /proc/self/oom_score_adj;"
            + " grep -E '^Max (open files|core file size)' /proc/self/limits";

    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, flags = {"--exec-over-tcp", "true"})
    private static TestDaemon daemon;
    private static Cli cli;
    private static String runId;
    private static List<String> runSaid;

    @BeforeAll
    static void start() throws Exception {
        cli = Cli.at(daemon.socket());
        String actor = runtime.actor(daemon, "probe", "/bin/sh", "-c", PROBE + "; echo ready; exec sleep 600");
        runId = daemon.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        runSaid = logUntil(runId, "ready");
    }

    @Test
    void shouldShowTheRunsUserHostnameAndCgroup() {
        Cli.Result r = cli.run("exec", runId, "--", "sh", "-c", PROBE);

        assertEquals(0, r.status(), r.toString());
        assertEquals(runSaid, r.out().lines().toList(), "as the run printed them itself");
        assertTrue(r.out().contains("\n" + runId + "\n"), "the run's hostname: " + r);
        assertTrue(runSaid.contains("0"), "the run's oom_score_adj: " + runSaid);
        // The hard limit is 524288, or the daemon's own where it may not raise it (runtime's ExecIT checks which).
        assertTrue(runSaid.stream().anyMatch(l -> l.matches("Max open files +1024 +\\d+ +files *")), runSaid.toString());
        assertTrue(runSaid.stream().anyMatch(l -> l.matches("Max core file size +0 +0 +bytes *")), runSaid.toString());
    }

    @Test
    void shouldPassStdinAndExitWithTheCommandsCode() {
        Cli.Result r = cli.stdin("one\ntwo\n").run("exec", "-i", runId, "--", "sh", "-c", "cat; exit 3");

        assertEquals(3, r.status(), r.toString());
        assertEquals("one\ntwo\n", r.out());
    }

    @Test
    void shouldGiveTheCommandATerminalWithT() {
        Cli.Result r = cli.run("exec", "-t", runId, "--", "sh", "-c", "test -t 0 && test -t 1 && tty");

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("/dev/pts/\\d+\r\n"), "a pty of the run's own devpts, CRLF: " + r);
    }

    @Test
    void shouldExecOverTcpWithTheAdminsTokenAndRefuseAUsersToken() {
        String url = daemon.api().base().toString();
        Cli.Result admin = Cli.at(daemon.socket()).env("ACTORD_URL", url).env("APIFY_TOKEN", daemon.token())
                .run("exec", runId, "--", "hostname");
        assertEquals(0, admin.status(), admin.toString());
        assertEquals(runId + "\n", admin.out());

        String userToken = daemon.user("mallory").token().orElseThrow();
        Cli.Result user = Cli.at(daemon.socket()).env("ACTORD_URL", url).env("APIFY_TOKEN", userToken)
                .run("exec", runId, "--", "hostname");
        assertEquals(125, user.status(), user.toString());
        assertTrue(user.err().startsWith("error: the daemon refused the request (insufficient-permissions)"),
                user.toString());
        assertEquals("", user.out());
    }

    @Test
    void shouldRefuseAFinishedRunWithItsStatus() throws Exception {
        String actor = runtime.actor(daemon, "done", "exit", "0");
        String done = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=60", "").expect(201).data()
                .get("id").asText();
        assertEquals("SUCCEEDED", daemon.api().get("/v2/actor-runs/" + done + "?waitForFinish=60").data()
                .get("status").asText());

        Cli.Result r = cli.run("exec", done, "--", "true");

        assertEquals(125, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: Run '" + done + "' is SUCCEEDED: it has finished"), r.toString());
    }

    @Test
    void shouldRunThroughThePackagedActorctl() throws Exception {
        Actorctl.Result r = Actorctl.at(daemon.socket()).run("exec", runId, "--", "sh", "-c", PROBE + "; exit 5");

        assertEquals(5, r.status(), r.toString());
        assertEquals(runSaid, r.out().lines().toList());
    }

    /**
     * -it from a real terminal (script(1) gives the packaged actorctl a pty of 33 x 99): raw mode is set and put
     * back, and the command's pty gets the terminal's size.
     */
    @Test
    void shouldGiveTheCommandTheSizeOfTheTerminalItRunsIn() throws Exception {
        Actorctl.at(daemon.socket());
        String inner = "stty rows 33 cols 99; " + Actorctl.LAUNCHER + " exec -it " + runId + " -- sh -c 'stty size';"
                + " echo \"exit=$?\"; stty -a | grep -o -- '-icanon' || echo cooked";
        ProcessBuilder pb = new ProcessBuilder("script", "-qefc", inner, "/dev/null");
        pb.environment().put("ACTORD_SOCKET", daemon.socket().toString());
        pb.environment().put("ACTORCTL_CDS", "0");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));

        assertTrue(out.contains("33 99\r\n"), out);
        assertTrue(out.contains("exit=0"), out);
        assertTrue(out.contains("cooked"), "the terminal is back in cooked mode: " + out);
    }

    /** The run's log lines (without their timestamps) before {@code last}. */
    private static List<String> logUntil(String id, String last) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = daemon.api().get("/v2/logs/" + id).text().lines()
                    .map(l -> l.substring(l.indexOf(' ') + 1)).filter(l -> !l.startsWith("ACTOR: ")).toList();
            int end = lines.indexOf(last);
            if (end >= 0) {
                return lines.subList(0, end);
            }
            Thread.sleep(50);
        }
        throw new AssertionError("run " + id + " never said " + last);
    }
}
