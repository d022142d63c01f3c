package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ActordCli;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** -q, -o and --jq on list and get commands; actorctl api; actorctl's own errors exit 125. */
class ScriptingCommandsTest extends AgainstDaemon {
    @Test
    void shouldPrintOnlyIdsWithQuiet() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String first = daemon.finishedRun(hello).get("id").asText();
        String second = daemon.finishedRun(hello).get("id").asText();
        Cli.Result r = cli.run("runs", "list", "-q");
        assertEquals(0, r.status(), r.toString());
        assertEquals(second + "\n" + first + "\n", r.out(), "newest first, one id a line");
        assertEquals("", r.err(), "nothing but ids");
        assertEquals(first + "\n", cli.run("runs", "get", first, "-q").out());
        assertEquals(hello + "\n", cli.run("actors", "list", "--quiet").out());
        assertEquals("hello\n", cli.run("actors", "list", "-o", "name").out());
    }

    @Test
    void shouldPrintTheApisJsonWithOutputJson() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String id = daemon.finishedRun(hello).get("id").asText();
        Cli.Result list = cli.run("runs", "list", "-o", "json");
        assertEquals(0, list.status(), list.toString());
        assertEquals(daemon.api().get("/v2/actor-runs?limit=50&offset=0&desc=1").text(), list.out().strip());
        assertEquals(daemon.api().get("/v2/actor-runs/" + id).text(), cli.run("runs", "get", id, "-o", "json").out()
                .strip());
        assertEquals(list.out(), cli.run("runs", "list", "--json").out(), "--json is -o json");
    }

    @Test
    void shouldFilterWithJq() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        String first = daemon.finishedRun(hello).get("id").asText();
        String second = daemon.finishedRun(hello).get("id").asText();
        Cli.Result ids = cli.run("runs", "list", "--jq", ".data.items[].id");
        assertEquals(0, ids.status(), ids.toString());
        assertEquals(second + "\n" + first + "\n", ids.out(), "strings print raw");
        Cli.Result shaped = cli.run("runs", "list", "--jq", ".data.items | map({id, status}) | .[0]");
        assertEquals(Json.MAPPER.readTree("{\"id\":\"" + second + "\",\"status\":\"SUCCEEDED\"}"),
                Json.MAPPER.readTree(shaped.outBytes()), shaped.toString());
        assertEquals("2\n", cli.run("runs", "list", "--jq", ".data.total").out());
        assertEquals("hello\n", cli.run("actors", "get", "hello", "--jq", ".data.name").out());
    }

    @Test
    void shouldShowMoreColumnsWhenWide() throws Exception {
        String hello = daemon.actor("hello", "echo", "hi");
        JsonNode run = daemon.finishedRun(hello);
        String[] lines = cli.run("runs", "list", "-o", "wide").out().split("\n");
        assertTrue(lines[0].matches("ID +ACTOR +STATUS +BUILD +STARTED +DURATION +MEMORY +ORIGIN +EXIT +DATASET"
                + " +KEY-VALUE STORE"), lines[0]);
        assertTrue(lines[1].endsWith(run.get("defaultDatasetId").asText() + "   "
                + run.get("defaultKeyValueStoreId").asText()), lines[1]);
    }

    @Test
    void shouldRefuseConflictingOutputOptionsAndBadJqWith125() {
        Cli.Result both = cli.run("runs", "list", "-q", "-o", "json");
        assertEquals(ActordCli.ERROR, both.status(), both.toString());
        assertEquals("error: give either -q or -o json, not both\n", both.err());
        Cli.Result jqWide = cli.run("runs", "list", "-o", "wide", "--jq", ".");
        assertEquals(ActordCli.ERROR, jqWide.status(), jqWide.toString());
        Cli.Result syntax = cli.run("runs", "list", "--jq", ".data.items[");
        assertEquals(ActordCli.ERROR, syntax.status(), syntax.toString());
        assertTrue(syntax.err().startsWith("error: --jq '.data.items[': "), syntax.err());
        Cli.Result format = cli.run("runs", "list", "-o", "yaml");
        assertEquals(ActordCli.ERROR, format.status(), format.toString());
    }

    @Test
    void shouldSendAnyRequestWithApi() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result acts = cli.run("api", "GET", "/v2/acts");
        assertEquals(0, acts.status(), acts.toString());
        assertEquals(Json.MAPPER.readTree(daemon.api().get("/v2/acts").body()), Json.MAPPER.readTree(acts.outBytes()));
        assertEquals(acts.out(), cli.run("api", "v2/acts").out(), "GET and the leading slash are implied");

        Cli.Result created = cli.run("api", "POST", "/v2/acts", "--data", "{\"name\":\"made-by-api\"}");
        assertEquals(0, created.status(), created.toString());
        assertEquals("made-by-api", Json.MAPPER.readTree(created.outBytes()).get("data").get("name").asText());
        Cli.Result fromStdin = cli.stdin("{\"name\":\"from-stdin\"}").run("api", "-X", "post", "/v2/acts", "-d", "@-");
        assertEquals(0, fromStdin.status(), fromStdin.toString());
        assertEquals("from-stdin,hello,made-by-api\n", cli.run("api", "/v2/acts", "--jq",
                "[.data.items[].name] | sort | join(\",\")").out());

        Cli.Result kv = cli.run("api", "PUT", "/v2/key-value-stores/" + daemon.finishedRun(daemon.actor("kv-writer", "echo",
                "x")).get("defaultKeyValueStoreId").asText() + "/records/NOTE", "-H", "Content-Type: text/plain",
                "--data", "plain text", "-i");
        assertEquals(0, kv.status(), kv.toString());
        assertTrue(kv.out().startsWith("HTTP/1.1 201\n") || kv.out().startsWith("HTTP/1.1 200\n"), kv.out());
    }

    @Test
    void shouldPrintTheErrorBodyAndExit125ForAnErrorAnswer() throws Exception {
        Cli.Result missing = cli.run("api", "/v2/actor-runs/nosuchrun");
        assertEquals(ActordCli.ERROR, missing.status(), missing.toString());
        assertEquals("record-not-found", Json.MAPPER.readTree(missing.outBytes()).get("error").get("type").asText());
        assertEquals("error: Actor run 'nosuchrun' was not found\n", missing.err());
        Cli.Result method = cli.run("api", "FETCH", "/v2/acts");
        assertEquals(ActordCli.ERROR, method.status(), method.toString());
        assertTrue(method.err().startsWith("error: 'FETCH' is not an HTTP method"), method.err());
    }

    @Test
    void shouldExit125WhenTheDaemonCannotBeReached() throws Exception {
        Cli.Result socket = Cli.at(dir.resolve("nothing-here.sock")).run("runs", "list", "-q");
        assertEquals(ActordCli.ERROR, socket.status(), socket.toString());
        assertTrue(socket.err().startsWith("error: cannot reach the daemon at "), socket.err());
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        for (List<String> args : List.of(List.of("runs", "list"), List.of("api", "/v2/acts"), List.of("call", "hello"))) {
            Cli.Result tcp = Cli.at(dir.resolve("unused.sock")).env("ACTORD_URL", "http://127.0.0.1:" + closed)
                    .run(args.toArray(String[]::new));
            assertEquals(ActordCli.ERROR, tcp.status(), args + ": " + tcp);
            assertTrue(tcp.err().startsWith("error: cannot reach the daemon at http://127.0.0.1:" + closed), tcp.err());
        }
    }
}
