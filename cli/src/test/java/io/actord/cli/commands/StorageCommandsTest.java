package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import io.actord.cli.testing.Cli;
import io.actord.cli.testing.FakeApi;
import io.actord.cli.testing.FakeApi.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * kv, dataset and queue against the Apify API shapes (apify-api.md §2.2-2.4), on a scripted API over
 * TCP: the requests each command sends and how it prints the answers.
 * {@link StorageCommandsDaemonTest} runs the same commands against a real daemon's storages.
 */
class StorageCommandsTest {
    @TempDir
    Path dir;

    private FakeApi api;
    private Cli cli;

    @BeforeEach
    void start() throws Exception {
        api = FakeApi.start();
        cli = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", api.url()).env("APIFY_TOKEN", "t0ken");
    }

    @AfterEach
    void stop() {
        api.close();
    }

    @Test
    void shouldPrintARecordByteForByte() {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2};
        api.on("GET", "/v2/key-value-stores/S1/records/shot.png?attachment=true", new Answer(200, "image/png", png, Map.of()));
        Cli.Result r = cli.run("kv", "get", "S1", "shot.png");
        assertEquals(0, r.status(), r.toString());
        assertArrayEquals(png, r.outBytes());
        assertEquals("Bearer t0ken", api.last().header("Authorization"));
    }

    @Test
    void shouldEncodeKeysAsOnePathSegment() {
        api.on("GET", "/v2/key-value-stores/my~store/records/a%2Fb%20c?attachment=true", Answer.json(200, "1"));
        assertEquals(0, cli.run("kv", "get", "my~store", "a/b c").status());
    }

    @Test
    void shouldStoreRecordsWithAGuessedOrGivenContentType() throws Exception {
        api.on("PUT", "/v2/key-value-stores/S1/records/OUTPUT", Answer.json(201, "{}"));
        Cli.Result json = cli.run("kv", "set", "S1", "OUTPUT", "{\"a\": 1}");
        assertEquals(0, json.status(), json.toString());
        assertEquals("stored OUTPUT in S1 (8 bytes, application/json; charset=utf-8)\n", json.out());
        assertEquals("{\"a\": 1}", api.last().text());
        assertEquals("application/json; charset=utf-8", api.last().header("Content-Type"));

        assertEquals("{}\n", cli.run("kv", "set", "S1", "OUTPUT", "hello", "--json").out(), "the answer, unchanged");
        assertEquals("text/plain; charset=utf-8", api.last().header("Content-Type"));

        Path bin = dir.resolve("blob");
        Files.write(bin, new byte[]{(byte) 0xff, (byte) 0xfe, 0});
        cli.run("kv", "set", "S1", "OUTPUT", "@" + bin);
        assertEquals("application/octet-stream", api.last().header("Content-Type"));
        assertArrayEquals(new byte[]{(byte) 0xff, (byte) 0xfe, 0}, api.last().body());

        cli.stdin("<p>hi</p>").run("kv", "set", "S1", "OUTPUT", "-", "--content-type", "text/html");
        assertEquals("text/html", api.last().header("Content-Type"));
        assertEquals("<p>hi</p>", api.last().text());

        Cli.Result bad = cli.run("kv", "set", "S1", "OUTPUT", "{oops", "--content-type", "application/json");
        assertEquals(ActordCli.ERROR, bad.status());
        assertTrue(bad.err().startsWith("error: VALUE is not valid JSON: "), bad.err());
    }

    @Test
    void shouldDeleteARecordAndSayWhenItIsMissing() {
        api.on("DELETE", "/v2/key-value-stores/S1/records/OLD", new Answer(204, null, new byte[0], Map.of()));
        Cli.Result r = cli.run("kv", "delete", "S1", "OLD");
        assertEquals(0, r.status(), r.toString());
        assertEquals("deleted OLD from S1\n", r.out());
        api.on("GET", "/v2/key-value-stores/S1/records/NONE?attachment=true", Answer.json(404,
                "{\"error\":{\"type\":\"record-not-found\",\"message\":\"Record 'NONE' was not found\"}}"));
        Cli.Result missing = cli.run("kv", "get", "S1", "NONE");
        assertEquals(ActordCli.ERROR, missing.status());
        assertEquals("error: Record 'NONE' was not found\n", missing.err());
    }

    @Test
    void shouldListKeysAndSayWhenMoreFollow() {
        api.on("GET", "/v2/key-value-stores/S1/keys?limit=2&prefix=SDK", Answer.json(200, """
                {"data":{"items":[{"key":"SDK_A","size":12},{"key":"SDK_B","size":2048}],"count":2,"limit":2,
                "isTruncated":true,"nextExclusiveStartKey":"SDK_B"}}"""));
        Cli.Result r = cli.run("kv", "keys", "S1", "--prefix", "SDK", "--limit", "2");
        assertEquals(0, r.status(), r.toString());
        assertEquals("KEY     SIZE\nSDK_A   12 B\nSDK_B   2.0 KB\n", r.out());
        assertEquals("more keys follow: --after SDK_B\n", r.err());
    }

    @Test
    void shouldPrintDatasetItemsAsATableOrUnchanged() {
        String items = "[{\"url\":\"http://a\",\"title\":\"A\"},{\"url\":\"http://b\",\"price\":3.5,\"tags\":[\"x\"]}]";
        api.on("GET", "/v2/datasets/D1/items?format=json&offset=0&limit=100", new Answer(200, "application/json",
                items.getBytes(StandardCharsets.UTF_8), Map.of()).withHeader("X-Apify-Pagination-Total", "5"));
        Cli.Result r = cli.run("dataset", "items", "D1");
        assertEquals(0, r.status(), r.toString());
        assertEquals("URL        TITLE   PRICE   TAGS\nhttp://a   A       -       -\nhttp://b   -       3.5     [\"x\"]\n",
                r.out());
        assertEquals("showing 1-2 of 5 items (see --limit and --offset)\n", r.err());
        Cli.Result json = cli.run("dataset", "items", "D1", "--json");
        assertEquals(items + "\n", json.out());
    }

    @Test
    void shouldPushItemsAsJson() {
        api.on("POST", "/v2/datasets/D1/items", Answer.json(201, "{}"));
        Cli.Result r = cli.run("dataset", "push", "D1", "[{\"a\":1},{\"a\":2}]");
        assertEquals(0, r.status(), r.toString());
        assertEquals("pushed 2 items to D1\n", r.out());
        assertEquals("[{\"a\":1},{\"a\":2}]", api.last().text());
        assertTrue(api.last().header("Content-Type").startsWith("application/json"));
        Cli.Result scalar = cli.run("dataset", "push", "D1", "42");
        assertEquals(ActordCli.ERROR, scalar.status());
        assertEquals("error: ITEMS must be a JSON object or an array of objects\n", scalar.err());
    }

    @Test
    void shouldAddARequestAndShowTheQueue() {
        api.on("POST", "/v2/request-queues/Q1/requests?forefront=1", Answer.json(201,
                "{\"data\":{\"requestId\":\"R1\",\"wasAlreadyPresent\":false,\"wasAlreadyHandled\":false}}"));
        Cli.Result add = cli.run("queue", "add", "Q1", "https://example.org", "--forefront", "--user-data", "{\"depth\":1}");
        assertEquals(0, add.status(), add.toString());
        assertEquals("added request R1\n", add.out());
        assertEquals("{\"url\":\"https://example.org\",\"uniqueKey\":\"https://example.org\",\"method\":\"GET\","
                + "\"userData\":{\"depth\":1}}", api.last().text());

        api.on("GET", "/v2/request-queues/Q1/head?limit=25", Answer.json(200, """
                {"data":{"limit":25,"hadMultipleClients":false,"items":[
                {"id":"R1","uniqueKey":"https://example.org","url":"https://example.org","method":"GET","retryCount":0}]}}"""));
        Cli.Result head = cli.run("queue", "head", "Q1");
        assertEquals("ID   METHOD   URL                   RETRIES\nR1   GET      https://example.org   0\n", head.out());

        api.on("GET", "/v2/request-queues/Q1", Answer.json(200, """
                {"data":{"id":"Q1","name":null,"totalRequestCount":3,"handledRequestCount":1,"pendingRequestCount":2}}"""));
        Cli.Result info = cli.run("queue", "info", "Q1");
        assertTrue(info.out().contains("Requests:  3\nHandled:   1\nPending:   2\n"), info.out());

        api.on("GET", "/v2/request-queues/Q1/requests/R1", Answer.json(200, """
                {"data":{"id":"R1","url":"https://example.org","uniqueKey":"u","method":"GET","retryCount":0,
                "userData":{"depth":1}}}"""));
        Cli.Result get = cli.run("queue", "get", "Q1", "R1");
        assertTrue(get.out().contains("User data:   {\"depth\":1}\n"), get.out());

        api.on("DELETE", "/v2/request-queues/Q1/requests/R1", new Answer(204, null, new byte[0], Map.of()));
        assertEquals("deleted request R1 from Q1\n", cli.run("queue", "delete", "Q1", "R1").out());
    }
}
