package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** actors create|list|get|delete against a real daemon (in-process, fake runtime). */
class ActorsCommandsTest extends AgainstDaemon {
    @Test
    void shouldCreateAnActorAndSayItsFullNameAndId() {
        Cli.Result r = cli.run("actors", "create", "hello", "--title", "Hello world", "--memory", "256");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("created actor local~hello \\(id [A-Za-z0-9]{17}\\)\n"), r.out());
        JsonNode actor = daemon.api().get("/v2/acts/hello").expect(200).data();
        assertEquals("Hello world", actor.get("title").asText());
        assertEquals(256, actor.get("defaultRunOptions").get("memoryMbytes").asInt());
    }

    @Test
    void shouldPrintTheCreatedActorAsTheApiSentIt() throws Exception {
        Cli.Result r = cli.run("actors", "create", "hello", "--json");
        assertEquals(0, r.status(), r.toString());
        JsonNode data = Json.MAPPER.readTree(r.outBytes()).get("data");
        assertEquals("hello", data.get("name").asText());
        assertEquals(daemon.api().get("/v2/acts/hello").expect(200).text(), r.out().strip());
    }

    @Test
    void shouldListActorsAsAnAlignedTable() throws Exception {
        daemon.actor("hello", "echo", "hi");
        daemon.actor("second-actor", "echo", "hi");
        Cli.Result r = cli.run("actors", "list");
        assertEquals(0, r.status(), r.toString());
        String[] lines = r.out().split("\n");
        assertEquals(3, lines.length, r.out());
        assertTrue(lines[0].matches("ID {18}NAME {17}TITLE   CREATED +MODIFIED"), lines[0]);
        assertTrue(lines[1].matches("[A-Za-z0-9]{17}   local~hello {10}-       just now +just now"), lines[1]);
        assertTrue(lines[2].contains("local~second-actor"), lines[2]);
        assertEquals(lines[0].indexOf("CREATED"), lines[2].indexOf("just now"), "columns are aligned");
    }

    @Test
    void shouldListActorsAsTheApiSentThem() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("actors", "list", "--json");
        assertEquals(0, r.status(), r.toString());
        assertEquals(daemon.api().get("/v2/acts?limit=50&offset=0").expect(200).text(), r.out().strip());
    }

    @Test
    void shouldShowAnActorWithItsTaggedBuilds() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("actors", "get", "hello");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Name:             local~hello\n"), r.out());
        assertTrue(r.out().contains("Default memory:   1024 MB\n"), r.out());
        assertTrue(r.out().contains("Tagged builds:    latest → 0.0.1\n"), r.out());
        assertEquals(0, cli.run("actors", "get", "local/hello").status(), "user/name is accepted");
    }

    @Test
    void shouldDeleteAnActor() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result r = cli.run("actors", "delete", "hello");
        assertEquals(0, r.status(), r.toString());
        assertEquals("deleted actor hello\n", r.out());
        Cli.Result gone = cli.run("actors", "get", "hello");
        assertEquals(ActordCli.ERROR, gone.status());
        assertEquals("", gone.out());
        assertEquals("error: Actor 'hello' was not found\n", gone.err());
    }

    @Test
    void shouldPrintTheErrorBodyOnStdoutWithJson() {
        Cli.Result r = cli.run("actors", "get", "nobody", "--json");
        assertEquals(ActordCli.ERROR, r.status());
        assertTrue(r.out().contains("\"type\":\"record-not-found\""), r.out());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void shouldRefuseADuplicateNameWithTheDaemonsMessage() {
        assertEquals(0, cli.run("actors", "create", "hello").status());
        Cli.Result r = cli.run("actors", "create", "hello");
        assertEquals(ActordCli.ERROR, r.status());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("hello"), r.err());
    }
}
