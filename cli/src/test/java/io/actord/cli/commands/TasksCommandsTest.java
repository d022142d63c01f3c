package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tasks create|list|get|run|delete against a real daemon (in-process, fake runtime). */
class TasksCommandsTest extends AgainstDaemon {
    @Test
    void shouldCreateListShowRunAndDeleteATask() throws Exception {
        daemon.actor("hello", "echo", "hi");
        Cli.Result created = cli.run("tasks", "create", "greet", "--actor", "local/hello", "--memory", "256",
                "--input", "{\"a\":1,\"b\":2}");
        assertEquals(0, created.status(), created.toString());
        assertTrue(created.out().matches("created task local~greet \\(id [A-Za-z0-9]{17}\\)\n"), created.out());

        Cli.Result list = cli.run("tasks", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().startsWith("ID "), list.out());
        assertTrue(list.out().contains("local~greet"), list.out());

        Cli.Result shown = cli.run("tasks", "get", "greet");
        assertEquals(0, shown.status(), shown.toString());
        assertTrue(shown.out().contains("256 MB"), shown.out());
        assertTrue(shown.out().contains("{\"a\":1,\"b\":2}"), shown.out());

        Cli.Result run = cli.run("tasks", "run", "greet", "--input", "{\"b\":3}", "--wait", "--json");
        assertEquals(0, run.status(), run.toString());
        JsonNode finished = Json.MAPPER.readTree(run.outBytes()).get("data");
        assertEquals("SUCCEEDED", finished.get("status").asText());
        assertEquals(256, finished.get("options").get("memoryMbytes").asInt());
        JsonNode input = Json.MAPPER.readTree(daemon.api().get("/v2/key-value-stores/"
                + finished.get("defaultKeyValueStoreId").asText() + "/records/INPUT").expect(200).body());
        assertEquals(Json.MAPPER.readTree("{\"a\":1,\"b\":3}"), input);
        assertEquals(finished.get("actorTaskId").asText(), daemon.api().get("/v2/actor-tasks/~greet").expect(200)
                .data().get("id").asText());

        Cli.Result deleted = cli.run("tasks", "delete", "greet");
        assertEquals(0, deleted.status(), deleted.toString());
        Cli.Result gone = cli.run("tasks", "get", "greet");
        assertEquals(ActordCli.ERROR, gone.status());
        assertEquals("error: Actor task 'greet' was not found\n", gone.err());
    }

    @Test
    void shouldRefuseATaskOfNoActor() {
        Cli.Result r = cli.run("tasks", "create", "orphan", "--actor", "nothing");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: actId: "), r.err());
    }
}
