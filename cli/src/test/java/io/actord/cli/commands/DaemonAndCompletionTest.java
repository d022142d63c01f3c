package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.Cli;
import io.actord.cli.testing.DaemonFixture;
import io.actord.cli.testing.FakeApi;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** daemon status against a real daemon, over the socket and over TCP; completion scripts run in bash and zsh. */
class DaemonAndCompletionTest {
    @TempDir
    Path dir;

    @Test
    void shouldShowTheDaemonsStatus() throws Exception {
        try (DaemonFixture daemon = DaemonFixture.start(dir)) {
            daemon.actor("sleeper", "sleep", "30");
            daemon.cli().run("run", "sleeper", "-d", "--memory", "512");
            Cli.Result r = daemon.cli().run("daemon", "status");
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().contains("Runtime:        fake\n"), r.out());
            assertTrue(r.out().contains("Running runs:   1\n"), r.out());
            assertTrue(r.out().matches("(?s).*Memory in use:  512 MB reserved, [0-9.]+ [KMG]?B used\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*Capacity:       \\d+ MB memory, \\d+ CPUs\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*Run capacity:   \\d+ MB, 512 MB held\n.*"), r.out());
            Cli.Result tcp = Cli.at(dir.resolve("none")).run("daemon", "status", "--json", "--url",
                    "http://127.0.0.1:" + daemon.tcpPort(), "--token", daemon.token());
            assertEquals(ActordCli.ERROR, tcp.status(), "the daemon's status is the admin's (#20 defect 13): " + tcp);
            assertTrue(tcp.err().contains("only over the daemon's admin Unix socket"), tcp.toString());
            Cli.Result json = daemon.cli().run("daemon", "status", "--json");
            assertEquals(0, json.status(), json.toString());
            assertEquals(1, Json.MAPPER.readTree(json.outBytes()).get("data").get("runs").get("active").asInt());
        }
    }

    @Test
    void shouldFallBackToHealthzOnAnOlderDaemon() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/healthz", FakeApi.Answer.json(200,
                    "{\"data\":{\"status\":\"ok\",\"version\":\"0.0.9\",\"runtime\":\"linux\",\"activeRuns\":2}}"));
            Cli.Result r = Cli.at(dir.resolve("none")).run("daemon", "status", "--url", api.url());
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().contains("Version:       0.0.9\n") && r.out().contains("Running runs:  2\n"), r.out());
            assertTrue(r.err().contains("has no /v2/actord/status"), r.err());
        }
    }

    @Test
    void shouldCompleteCommandsInBash() throws Exception {
        Cli.Result r = Cli.at(dir.resolve("none")).run("completion", "bash");
        assertEquals(0, r.status(), r.toString());
        Path script = dir.resolve("actorctl.bash");
        Files.write(script, r.outBytes());
        assertEquals("run runs", complete("bash", script, "actorctl ru"));
        assertEquals("abort", complete("bash", script, "actorctl runs ab"));
        assertEquals("--status", complete("bash", script, "actorctl runs list --sta"));
        assertEquals("SUCCEEDED", complete("bash", script, "actorctl runs list --status SUC"));
    }

    @Test
    void shouldCompleteCommandsInZsh() throws Exception {
        boolean zsh = Files.isExecutable(Path.of("/usr/bin/zsh")) || Files.isExecutable(Path.of("/bin/zsh"));
        if (!zsh) {
            System.out.println("SKIPPED DaemonAndCompletionTest.shouldCompleteCommandsInZsh: zsh is not installed");
        }
        assumeTrue(zsh, "zsh is not installed");
        Cli.Result r = Cli.at(dir.resolve("none")).run("completion", "zsh");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("#compdef actorctl\n"), r.out());
        Path script = dir.resolve("_actorctl");
        Files.write(script, r.outBytes());
        String abort = zshCompletes(script, "actorctl runs ab");
        assertTrue(abort.contains("actorctl runs abort x-end"), abort);
        String status = zshCompletes(script, "actorctl runs list --sta");
        assertTrue(status.contains("actorctl runs list --status x-end"), status);
    }

    /**
     * Types {@code line} and a TAB into a real interactive zsh on a pty (zsh/zpty) with the script loaded,
     * then " x-end" and Enter; returns the screen without escape codes. Simulating the completion
     * variables is not enough: zsh's bashcompinit runs the function under sh emulation.
     */
    private String zshCompletes(Path script, String line) throws Exception {
        Path driver = dir.resolve("drive.zsh");
        Files.writeString(driver, """
                zmodload zsh/zpty
                zpty z 'zsh -f -i'
                zpty -w z 'PS1="%% "; autoload -U compinit && compinit -u; source %s; actorctl() { :; }'
                zpty -w -n z "$1"$'\\t'
                sleep 1
                zpty -w -n z $' x-end\\n'
                sleep 1
                out=""
                while zpty -r -t z chunk; do out+="$chunk"; done
                print -r -- "$out"
                zpty -d z
                """.formatted(script));
        Process p = new ProcessBuilder("zsh", "-f", driver.toString(), line).redirectErrorStream(true).start();
        String screen = new String(p.getInputStream().readAllBytes()).replaceAll("\u001B\\[[0-9;?]*[A-Za-z]", "");
        assertEquals(0, p.waitFor(), screen);
        String previous;
        do {
            previous = screen;
            screen = screen.replaceAll("[^\b]\b", "");
        } while (!screen.equals(previous));
        return screen;
    }

    /** Sources the script in bash and asks its completion function for the last word of {@code line}. */
    private static String complete(String shell, Path script, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String probe = "source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE};"
                + " compopt() { :; };" // a builtin that works only inside a real completion
                + " _complete_actorctl actorctl;"
                + " echo \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder(shell, "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
