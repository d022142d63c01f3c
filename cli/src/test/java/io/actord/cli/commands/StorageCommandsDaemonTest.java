package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kv, dataset and queue against a real daemon's storage API. */
class StorageCommandsDaemonTest extends AgainstDaemon {
    @BeforeEach
    void start() throws Exception {
        assertEquals(201, daemon.admin("/v2/key-value-stores?name=store", "").status());
        assertEquals(201, daemon.admin("/v2/datasets?name=items", "").status());
        assertEquals(201, daemon.admin("/v2/request-queues?name=queue", "").status());
    }

    @Test
    void shouldSetGetListAndDeleteRecords() {
        assertEquals(0, cli.run("kv", "set", "store", "OUTPUT", "{\"a\": 1}").status());
        assertEquals(0, cli.run("kv", "set", "store", "note", "hello").status());
        Cli.Result get = cli.run("kv", "get", "store", "OUTPUT");
        assertEquals(0, get.status(), get.toString());
        assertEquals("{\"a\": 1}", get.out());
        assertEquals("KEY      SIZE\nOUTPUT   8 B\nnote     5 B\n", cli.run("kv", "keys", "store").out());
        assertEquals(0, cli.run("kv", "delete", "store", "note").status());
        Cli.Result gone = cli.run("kv", "get", "store", "note");
        assertEquals(ActordCli.ERROR, gone.status());
        assertEquals("error: Record 'note' was not found\n", gone.err());
    }

    @Test
    void shouldPushAndReadItems() throws Exception {
        assertEquals(0, cli.run("dataset", "push", "items", "[{\"url\":\"http://a\",\"title\":\"A\"},{\"url\":\"http://b\"}]")
                .status());
        assertEquals(0, cli.run("dataset", "push", "items", "{\"url\":\"http://c\",\"price\":3}").status());
        Cli.Result table = cli.run("dataset", "items", "items");
        assertEquals("URL        TITLE   PRICE\nhttp://a   A       -\nhttp://b   -       -\nhttp://c   -       3\n",
                table.out());
        JsonNode json = Json.MAPPER.readTree(cli.run("dataset", "items", "items", "--json", "--desc", "--limit", "1")
                .outBytes());
        assertEquals("http://c", json.get(0).get("url").asText());
    }

    @Test
    void shouldAddShowAndDeleteRequests() {
        Cli.Result add = cli.run("queue", "add", "queue", "https://example.org");
        assertTrue(add.out().startsWith("added request "), add.toString());
        assertTrue(cli.run("queue", "add", "queue", "https://example.org").out().startsWith("already queued: request "));
        cli.run("queue", "add", "queue", "https://example.org/first", "--forefront");
        String[] head = cli.run("queue", "head", "queue").out().split("\n");
        assertEquals(3, head.length);
        assertTrue(head[1].contains("https://example.org/first"), head[1]);
        assertTrue(cli.run("queue", "info", "queue").out().contains("Requests:  2\n"));
        String id = head[1].split(" ")[0];
        assertTrue(cli.run("queue", "get", "queue", id).out().contains("URL:         https://example.org/first\n"));
        assertEquals(0, cli.run("queue", "delete", "queue", id).status());
        assertEquals(2, cli.run("queue", "head", "queue").out().split("\n").length);
    }
}
