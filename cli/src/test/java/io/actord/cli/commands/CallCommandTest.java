package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * call ACTOR: the log on stderr, a record on stdout, the run's status as the exit status. The fake
 * runtime writes no OUTPUT (that needs the storage API from inside a container, see CallIT), so the
 * record printed here is the run's INPUT, through --output-key.
 */
class CallCommandTest extends AgainstDaemon {
    @Test
    void shouldStreamTheLogAndPrintTheRecordAndExitZero() throws Exception {
        daemon.actor("hello", "echo", "Hello from the actor");
        Cli.Result r = cli.run("call", "hello", "--input", "{\"name\":\"Ada\"}", "--output-key", "INPUT");
        assertEquals(0, r.status(), r.toString());
        assertEquals("{\"name\":\"Ada\"}", r.out(), "the record, byte for byte, when piped");
        assertTrue(r.err().contains("Hello from the actor\n"), r.err());
    }

    @Test
    void shouldSayWhenThereIsNoOutputRecord() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("call", "hello");
        assertEquals(0, r.status(), r.toString());
        assertEquals("", r.out());
        assertTrue(r.err().matches("(?s).*run [A-Za-z0-9]{17} stored no OUTPUT record\n"), r.err());
    }

    @Test
    void shouldExitWithTheRunsCodeAndStatusMessageWhenItFails() throws Exception {
        daemon.actor("failing", "exit", "7");
        Cli.Result r = cli.run("call", "failing", "--quiet");
        assertEquals(7, r.status(), r.toString());
        String last = r.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("error: run [A-Za-z0-9]{17} FAILED: .*7.*"), r.err());
        assertEquals(1, r.err().lines().count(), "no note about a missing OUTPUT of a failed run: " + r.err());
    }

    @Test
    void shouldExit1WhenTheRunCannotStart() throws Exception {
        daemon.actor("broken", "fail-start");
        Cli.Result r = cli.run("call", "broken");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("FAILED"), r.err());
    }

    @Test
    void shouldPrintTheFinishedRunWithJson() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("call", "hello", "--json");
        assertEquals(0, r.status(), r.toString());
        JsonNode run = Json.MAPPER.readTree(r.outBytes()).get("data");
        assertEquals("SUCCEEDED", run.get("status").asText());
    }

    @Test
    void shouldKeepTheLogAboveTheStatusLineOnATerminal() throws Exception {
        daemon.actor("hello", "echo", "line one");
        Cli.Result r = cli.terminal().run("call", "hello", "--input", "{}", "--output-key", "INPUT");
        assertEquals(0, r.status(), r.toString());
        assertEquals("{}\n", r.out(), "a newline is added on a terminal");
        String log = r.err().replaceAll("\r\u001B\\[2K[^\r\n]*?(?=\r|$)", "");
        assertTrue(log.contains("line one\n"), "the log line is intact: " + r.err());
    }

    @Test
    void shouldNameAnUnknownActor() {
        Cli.Result r = cli.run("call", "nobody");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertEquals("error: Actor 'nobody' was not found\n", r.err());
    }
}
