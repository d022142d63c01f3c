package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ActordCli;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** runs rm, logs --tail/--since, dataset export, system df/prune and the completion of run ids. */
class OperationsCommandsTest extends AgainstDaemon {
    @Test
    void shouldRemoveFinishedRunsAndRefuseARunningOne() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String a = daemon.finishedRun(hello).get("id").asText();
        String b = daemon.finishedRun(hello).get("id").asText();
        daemon.actor("sleeper", "sleep", "30");
        String running = cli.run("run", "sleeper", "-d").out().strip();
        Cli.Result rm = cli.run("runs", "rm", a, b);
        assertEquals(0, rm.status(), rm.toString());
        assertEquals(a + "\n" + b + "\n", rm.out());
        assertEquals(404, daemon.api().get("/v2/actor-runs/" + a).status());
        Cli.Result refused = cli.run("runs", "rm", running);
        assertEquals(ActordCli.ERROR, refused.status(), refused.toString());
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + running).status());
        cli.run("runs", "abort", running);
    }

    @Test
    void shouldRebootAndMetamorphARunningRun() throws Exception {
        daemon.actor("sleeper", "sleep", "30");
        String other = daemon.actor("other", "sleep", "30");
        String id = cli.run("run", "sleeper", "-d").out().strip();
        daemon.api().get("/v2/actor-runs/" + id + "?waitForFinish=1");
        Cli.Result reboot = cli.run("runs", "reboot", id);
        assertEquals(0, reboot.status(), reboot.toString());
        assertTrue(reboot.out().matches("run " + id + ": (RUNNING|READY)\n"), reboot.out());
        Cli.Result metamorph = cli.run("runs", "metamorph", id, "other", "--input", "{\"x\":1}");
        assertEquals(0, metamorph.status(), metamorph.toString());
        assertTrue(metamorph.out().startsWith("run " + id + ": "), metamorph.out());
        assertEquals(other, daemon.api().get("/v2/actor-runs/" + id).data().get("actId").asText());
        Cli.Result badInput = cli.run("runs", "metamorph", id, "other", "--input", "{x}");
        assertEquals(ActordCli.ERROR, badInput.status(), badInput.toString());
        cli.run("runs", "abort", id);
        Cli.Result finished = cli.run("runs", "reboot", id);
        assertEquals(ActordCli.ERROR, finished.status(), "a finished run cannot reboot: " + finished);
    }

    @Test
    void shouldPrintTheTailOfALogAndTheLinesSinceATime() throws Exception {
        String lines = daemon.actor("lines", "echo", "one\ntwo\nthree");
        String id = daemon.finishedRun(lines).get("id").asText();
        String all = cli.run("runs", "logs", id).out();
        List<String> allLines = all.lines().toList();
        assertTrue(allLines.size() >= 3, all);
        Cli.Result tail = cli.run("runs", "logs", id, "--tail", "2");
        assertEquals(0, tail.status(), tail.toString());
        assertEquals(allLines.subList(allLines.size() - 2, allLines.size()), tail.out().lines().toList());
        assertEquals("", cli.run("runs", "logs", id, "-n", "0").out());
        assertTrue(tail.out().equals(cli.run("runs", "logs", id, "--tail", "2", "-f").out()), "followed too");
        assertEquals(all, cli.run("runs", "logs", id, "--since", "1h").out());
        assertEquals(all, cli.run("runs", "logs", id, "--since", Instant.now().minusSeconds(3600).toString()).out());
        assertEquals("", cli.run("runs", "logs", id, "--since", Instant.now().plusSeconds(3600).toString()).out());
        Cli.Result bad = cli.run("runs", "logs", id, "--since", "yesterday");
        assertEquals(ActordCli.ERROR, bad.status(), bad.toString());
        assertTrue(bad.err().startsWith("error: --since 'yesterday' is neither a duration"), bad.err());
    }

    @Test
    void shouldExportEveryItemAsTheDaemonWritesThemPageByPage() throws Exception {
        String id = daemon.api().post("/v2/datasets?name=export").expect(201).data().get("id").asText();
        daemon.api().post("/v2/datasets/" + id + "/items", "[{\"a\":1,\"b\":\"x,y\"},{\"a\":2},{\"a\":3,"
                + "\"nested\":{\"deep\":[true,null]}},{\"a\":4,\"text\":\"say \\\"hi\\\"\\nbye\"},{\"late\":5}]").expect(201);
        String csv = new String(daemon.api().get("/v2/datasets/" + id + "/items?format=csv").body(), StandardCharsets.UTF_8);
        String jsonl = new String(daemon.api().get("/v2/datasets/" + id + "/items?format=jsonl").body(),
                StandardCharsets.UTF_8);
        Cli.Result exported = cli.run("dataset", "export", "export", "--format", "csv", "--page", "2");
        assertEquals(0, exported.status(), exported.toString());
        assertEquals(csv, exported.out(), "a column only the last page has is in the header; the rows match");
        assertTrue(csv.startsWith("a,b,nested/deep/0,nested/deep/1,text,late\r\n"), csv);
        assertEquals(jsonl, cli.run("dataset", "export", id, "--page", "2").out());
        Path file = dir.resolve("items.jsonl");
        Cli.Result toFile = cli.run("dataset", "export", id, "--file", file.toString());
        assertEquals("exported 5 items to " + file + "\n", toFile.err());
        assertEquals(jsonl, Files.readString(file));
        assertEquals("a\r\n1\r\n2\r\n3\r\n4\r\n\r\n", cli.run("dataset", "export", id, "-f", "csv", "--fields", "a")
                .out());
    }

    @Test
    void shouldShowDiskUseAndPruneOldFinishedRuns() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String old = daemon.finishedRun(hello).get("id").asText();
        Thread.sleep(20);
        Instant cutoff = Instant.now();
        Thread.sleep(20);
        String recent = daemon.finishedRun(hello).get("id").asText();
        Cli.Result df = cli.run("system", "df");
        assertEquals(0, df.status(), df.toString());
        assertTrue(df.out().lines().findFirst().orElseThrow().matches("TYPE +TOTAL +ACTIVE +SIZE +RECLAIMABLE"), df.out());
        assertTrue(df.out().lines().anyMatch(l -> l.matches("runs +2 +0 +.*")), df.out());
        JsonNode json = Json.MAPPER.readTree(cli.run("system", "df", "-o", "json").outBytes()).get("data");
        assertEquals(6, json.get("items").size(), json.toString());

        Cli.Result dry = cli.run("system", "prune", "--until", cutoff.toString());
        assertEquals(0, dry.status(), dry.toString());
        assertTrue(dry.out().contains("would remove 1 run ("), dry.out());
        assertTrue(dry.err().contains("--force"), dry.err());
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + old).status());
        Cli.Result pruned = cli.run("system", "prune", "--until", cutoff.toString(), "--force");
        assertEquals(0, pruned.status(), pruned.toString());
        assertTrue(pruned.out().startsWith("removed 0 unused layers (0 B)\nremoved 1 run ("), pruned.out());
        assertEquals(404, daemon.api().get("/v2/actor-runs/" + old).status());
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + recent).status());
        Cli.Result tcp = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", "http://127.0.0.1:" + daemon.tcpPort())
                .env("APIFY_TOKEN", daemon.token()).run("system", "df");
        assertEquals(ActordCli.ERROR, tcp.status(), "the admin's only: " + tcp);
    }

    @Test
    void shouldCompleteRunIdsAndActorNamesFromTheDaemon() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String id = daemon.finishedRun(hello).get("id").asText();
        assertEquals(id + "\n", cli.run("__complete", "runs").out());
        assertEquals("hello\n", cli.run("__complete", "actors").out());
        Cli.Result script = cli.run("completion", "bash");
        String commands = script.out().lines().filter(l -> l.trim().startsWith("local commands=\"actors "))
                .findFirst().orElseThrow();
        assertFalse(commands.contains("__complete"), "the hidden command is not offered: " + commands);
        Path file = dir.resolve("actorctl.bash");
        Files.write(file, script.outBytes());
        // The script calls "${COMP_WORDS[0]}" __complete KIND; a function stands in for the CLI with its real answers.
        String stub = "actorctl() { case \"$2\" in runs) printf '%s\\n' " + id + ";; actors) echo hello;; esac; };";
        assertEquals(id, complete(file, stub, "actorctl runs get "));
        assertEquals(id, complete(file, stub, "actorctl runs logs " + id.substring(0, 3)));
        assertEquals("hello", complete(file, stub, "actorctl call h"));
        assertEquals("hello", complete(file, stub, "actorctl runs list --actor "));
        assertEquals("SUCCEEDED", complete(file, stub, "actorctl runs list --status SUC"), "static lists stay");
    }

    private static String complete(Path script, String stub, String line) throws Exception {
        String words = line.endsWith(" ") ? line + "''" : line;
        String probe = stub + " source " + script + "; COMP_WORDS=(" + words + "); COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ));"
                + " COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; compopt() { :; };"
                + " _complete_actorctl actorctl; echo \"${COMPREPLY[@]}\"";
        Process p = new ProcessBuilder("bash", "-c", probe).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertEquals(0, p.waitFor(), out);
        return out;
    }
}
