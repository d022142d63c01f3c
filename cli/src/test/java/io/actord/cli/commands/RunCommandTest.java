package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** run ACTOR with its options, --detach and --wait, against a real daemon with the fake runtime. */
class RunCommandTest extends AgainstDaemon {
    @Test
    void shouldStartARunAndShowIt() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--memory", "256", "--timeout", "60");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("ID:  "), r.out());
        assertTrue(r.out().contains("Memory:           256 MB"), r.out());
        assertTrue(r.out().contains("Timeout:          60 s\n"), r.out());
        assertTrue(r.err().startsWith("follow its log: actorctl runs logs -f "), r.err());
    }

    @Test
    void shouldPrintOnlyTheIdWhenDetached() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "-d");
        assertEquals(0, r.status(), r.toString());
        String id = r.out().strip();
        assertTrue(id.matches("[A-Za-z0-9]{17}"), r.out());
        daemon.api().get("/v2/actor-runs/" + id).expect(200);
    }

    @Test
    void shouldSendTheInputWithItsContentType() throws Exception {
        daemon.actor("hello", "echo", "hi");
        String id = cli.run("run", "hello", "-d", "--input", "{\"name\":\"Ada\"}").out().strip();
        String kvs = daemon.api().get("/v2/actor-runs/" + id).data().get("defaultKeyValueStoreId").asText();
        var record = daemon.api().get("/v2/key-value-stores/" + kvs + "/records/INPUT").expect(200);
        assertEquals("{\"name\":\"Ada\"}", record.text());
        assertTrue(record.contentType().startsWith("application/json"), record.contentType());
        Cli.Result kvGet = cli.run("kv", "get", kvs, "INPUT");
        assertEquals(0, kvGet.status(), kvGet.toString());
        assertEquals("{\"name\":\"Ada\"}", kvGet.out(), "kv get prints the record as stored");

        Path file = dir.resolve("input.txt");
        Files.writeString(file, "plain words");
        String id2 = cli.run("run", "hello", "-d", "--input", "@" + file, "--content-type", "text/plain").out().strip();
        String kvs2 = daemon.api().get("/v2/actor-runs/" + id2).data().get("defaultKeyValueStoreId").asText();
        var record2 = daemon.api().get("/v2/key-value-stores/" + kvs2 + "/records/INPUT").expect(200);
        assertEquals("plain words", record2.text());
        assertTrue(record2.contentType().startsWith("text/plain"), record2.contentType());

        Cli.Result fromStdin = cli.stdin("[1,2,3]").run("run", "hello", "-d", "--input", "-");
        assertEquals(0, fromStdin.status(), fromStdin.toString());
        String id3 = fromStdin.out().strip();
        String kvs3 = daemon.api().get("/v2/actor-runs/" + id3).data().get("defaultKeyValueStoreId").asText();
        assertEquals("[1,2,3]", daemon.api().get("/v2/key-value-stores/" + kvs3 + "/records/INPUT").expect(200).text());
    }

    @Test
    void shouldWaitAndExitZeroWhenTheRunSucceeds() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--wait");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Status:           SUCCEEDED\n"), r.out());
        assertTrue(r.out().contains("Exit code:        0\n"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void shouldWaitAndExitWithTheRunsExitCodeWhenItFails() throws Exception {
        daemon.actor("failing", "exit", "3");
        Cli.Result r = cli.run("run", "failing", "-w");
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.out().contains("Status:           FAILED\n"), r.out());
        assertTrue(r.err().matches("error: run [A-Za-z0-9]{17} FAILED: .*3.*\n"), r.err());
    }

    @Test
    void shouldExit124WhenTheRunTimesOut() throws Exception {
        daemon.actor("sleeper", "sleep", "30");
        Cli.Result r = cli.run("run", "sleeper", "--wait", "--timeout", "1");
        assertEquals(124, r.status(), r.toString());
        assertTrue(r.out().contains("TIMED-OUT"), r.out());
    }

    @Test
    void shouldPrintTheFinishedRunAsTheApiSentItWithJson() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--wait", "--json");
        assertEquals(0, r.status(), r.toString());
        JsonNode run = Json.MAPPER.readTree(r.outBytes()).get("data");
        assertEquals("SUCCEEDED", run.get("status").asText());
        assertEquals(daemon.api().get("/v2/actor-runs/" + run.get("id").asText()).text(), r.out().strip());
    }

    @Test
    void shouldShowALiveStatusLineOnATerminal() throws Exception {
        daemon.actor("sleeper", "sleep", "1.5");
        Cli.Result r = cli.terminal().run("run", "sleeper", "--wait");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.err().contains("\r\u001B[2K"), "the line is redrawn in place: " + r.err());
        assertTrue(r.err().contains("RUNNING"), r.err());
        assertTrue(r.err().matches("(?s).*0:0[0-9].*"), "elapsed time: " + r.err());
        assertTrue(r.err().endsWith("\r\u001B[2K"), "the line is cleared at the end: " + r.err());
        assertTrue(r.out().contains("\u001B[32mSUCCEEDED\u001B[0m"), "status in green: " + r.out());
    }

    @Test
    void shouldNotColourWithNoColor() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.terminal().env("NO_COLOR", "1").run("run", "hello", "--wait");
        assertEquals(0, r.status(), r.toString());
        assertFalse(r.out().contains("\u001B"), r.out());
        assertFalse(r.err().contains("\u001B[3"), "no colour in the status line: " + r.err());
    }

    @Test
    void shouldRejectInvalidJsonInputBeforeStartingARun() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--input", "{name: Ada}");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: --input is not valid JSON: Unexpected character ('n'"), r.err());
        assertTrue(r.err().endsWith("at line 1, column 2\n"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertEquals(0, daemon.api().get("/v2/actor-runs").data().get("total").asInt());
    }

    @Test
    void shouldSayWhichInputFileCannotBeRead() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--input", "@" + dir.resolve("nope.json"));
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertEquals("error: read --input file " + dir.resolve("nope.json") + ": no such file\n", r.err());
    }

    @Test
    void shouldRefuseWaitWithDetach() {
        Cli.Result r = cli.run("run", "hello", "--wait", "--detach");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: --wait, --detach are mutually exclusive")
                || r.err().startsWith("error: --detach, --wait are mutually exclusive"), r.err());
    }

    @Test
    void shouldPassTheDaemonsValidationMessageThrough() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("run", "hello", "--memory", "300");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("300"), r.err());
    }
}
