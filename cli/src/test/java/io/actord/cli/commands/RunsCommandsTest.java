package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** runs list|get|abort|resurrect|logs|open against a real daemon with the fake runtime. */
class RunsCommandsTest extends AgainstDaemon {
    @Test
    void shouldListRunsNewestFirstWithTheActorsName() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String failing = daemon.actor("failing", "exit", "2");
        String first = daemon.finishedRun(hello).get("id").asText();
        String second = daemon.finishedRun(failing).get("id").asText();
        Cli.Result r = cli.run("runs", "list");
        assertEquals(0, r.status(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].matches("ID +ACTOR +STATUS +BUILD +STARTED +DURATION +MEMORY"), lines[0]);
        assertTrue(lines[1].startsWith(second + "   failing   FAILED      0.0.1"), lines[1]);
        assertTrue(lines[2].startsWith(first + "   hello     SUCCEEDED   0.0.1"), lines[2]);
        assertTrue(lines[2].endsWith("1024 MB"), lines[2]);
    }

    @Test
    void shouldFilterByStatusAndActor() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String failing = daemon.actor("failing", "exit", "2");
        daemon.finishedRun(hello);
        daemon.finishedRun(failing);
        daemon.finishedRun(failing);
        assertEquals(3, cli.run("runs", "list", "--status", "FAILED").out().split("\n").length);
        assertEquals(2, cli.run("runs", "list", "--actor", "hello").out().split("\n").length);
        assertEquals(3, cli.run("runs", "list", "--status", "SUCCEEDED,FAILED", "--limit", "2").out().split("\n").length);
        Cli.Result bad = cli.run("runs", "list", "--status", "DONE");
        assertEquals(ActordCli.ERROR, bad.status());
        assertTrue(bad.err().startsWith("error: status 'DONE' is not one of"), bad.err());
    }

    @Test
    void shouldSayWhenTheListIsCut() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        daemon.finishedRun(hello);
        daemon.finishedRun(hello);
        Cli.Result r = cli.run("runs", "list", "--limit", "1");
        assertEquals(2, r.out().split("\n").length, r.out());
        assertEquals("showing 1-1 of 2 runs (see --limit and --offset)\n", r.err());
        assertEquals("no runs\n", cli.run("runs", "list", "--status", "RUNNING").err());
    }

    @Test
    void shouldListRunsAsTheApiSentThem() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        daemon.finishedRun(hello);
        Cli.Result r = cli.run("runs", "list", "--json");
        assertEquals(daemon.api().get("/v2/actor-runs?limit=50&offset=0&desc=1").text(), r.out().strip());
        assertEquals(1, Json.MAPPER.readTree(r.outBytes()).get("data").get("count").asInt());
    }

    @Test
    void shouldShowARun() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        JsonNode run = daemon.finishedRun(hello);
        String id = run.get("id").asText();
        Cli.Result r = cli.run("runs", "get", id);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("ID:               " + id + "\n"), r.out());
        assertTrue(r.out().contains("Actor:            hello (" + hello + ")\n"), r.out());
        assertTrue(r.out().contains("Status:           SUCCEEDED\n"), r.out());
        assertTrue(r.out().contains("Key-value store:  " + run.get("defaultKeyValueStoreId").asText() + "\n"), r.out());
        assertTrue(r.out().contains("Container URL:    http"), r.out());
        assertEquals(daemon.api().get("/v2/actor-runs/" + id).text(), cli.run("runs", "get", id, "--json").out().strip());
        Cli.Result missing = cli.run("runs", "get", "nosuchrun");
        assertEquals(ActordCli.ERROR, missing.status());
        assertEquals("error: Actor run 'nosuchrun' was not found\n", missing.err());
    }

    @Test
    void shouldAbortARunNowOrGracefully() throws Exception {
        String sleeper = daemon.actor("sleeper", "sleep", "30");
        String now = cli.run("run", "sleeper", "-d").out().strip();
        Cli.Result r = cli.run("runs", "abort", now);
        assertEquals(0, r.status(), r.toString());
        assertEquals("run " + now + ": ABORTED\n", r.out());

        String graceful = cli.run("run", "sleeper", "-d").out().strip();
        daemon.api().get("/v2/actor-runs/" + graceful + "?waitForFinish=1");
        Cli.Result g = cli.run("runs", "abort", graceful, "--graceful");
        assertEquals(0, g.status(), g.toString());
        assertTrue(g.out().equals("run " + graceful + ": ABORTING\n") || g.out().equals("run " + graceful + ": ABORTED\n"),
                g.out());
        assertTrue(sleeper.length() > 0);
    }

    @Test
    void shouldExit130WhenAWaitedRunIsAborted() throws Exception {
        daemon.actor("sleeper", "sleep", "30");
        CompletableFuture<Cli.Result> waiting = CompletableFuture.supplyAsync(() -> cli.run("call", "sleeper", "-q"));
        String id = null;
        for (int i = 0; i < 100 && id == null; i++) {
            JsonNode items = daemon.api().get("/v2/actor-runs").data().get("items");
            id = items.size() > 0 ? items.get(0).get("id").asText() : null;
            Thread.sleep(50);
        }
        assertEquals(0, cli.run("runs", "abort", id).status());
        Cli.Result r = waiting.get(20, TimeUnit.SECONDS);
        assertEquals(130, r.status(), r.toString());
        assertTrue(r.err().contains("ABORTED"), r.err());
    }

    @Test
    void shouldResurrectAFinishedRun() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String id = daemon.finishedRun(hello).get("id").asText();
        Cli.Result r = cli.run("runs", "resurrect", id, "--memory", "512");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("run " + id + ": (RUNNING|SUCCEEDED|READY)\n"), r.out());
        JsonNode run = daemon.api().get("/v2/actor-runs/" + id + "?waitForFinish=10").data();
        assertEquals(512, run.get("options").get("memoryMbytes").asInt());
        assertEquals(1, run.get("stats").get("resurrectCount").asInt());
    }

    @Test
    void shouldRefuseToResurrectARunningRun() throws Exception {
        daemon.actor("sleeper", "sleep", "30");
        String id = cli.run("run", "sleeper", "-d").out().strip();
        daemon.api().get("/v2/actor-runs/" + id + "?waitForFinish=1");
        Cli.Result r = cli.run("runs", "resurrect", id);
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: "), r.err());
        cli.run("runs", "abort", id);
    }

    @Test
    void shouldPrintTheLog() throws Exception {
        String hello = daemon.actor("hello", "echo", "Hello, world!");
        String id = daemon.finishedRun(hello).get("id").asText();
        Cli.Result r = cli.run("runs", "logs", id);
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("(?s).*\\d{4}-\\d\\d-\\d\\dT[0-9:.]+Z Hello, world!\n.*"), r.out());
    }

    @Test
    void shouldFollowTheLogUntilTheRunEnds() throws Exception {
        daemon.actor("sleeper", "sleep", "1");
        String id = cli.run("run", "sleeper", "-d").out().strip();
        Cli.Result r = cli.run("runs", "logs", id, "-f");
        assertEquals(0, r.status(), r.toString());
        assertEquals("SUCCEEDED", daemon.api().get("/v2/actor-runs/" + id).data().get("status").asText(),
                "logs -f returned only when the run had finished");
    }

    @Test
    void shouldPrintTheContainerUrl() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        JsonNode run = daemon.finishedRun(hello);
        Cli.Result r = cli.run("runs", "open", run.get("id").asText());
        assertEquals(0, r.status(), r.toString());
        assertEquals(run.get("containerUrl").asText() + "\n", r.out());
        assertTrue(r.err().contains("is SUCCEEDED"), r.err());
    }
}
