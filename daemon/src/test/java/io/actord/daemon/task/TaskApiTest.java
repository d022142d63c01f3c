package io.actord.daemon.task;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actor tasks over the API, as apify-client's {@code tasks()} and {@code task(id)} call them. */
class TaskApiTest extends FakeDaemonApiTest {
    private String task(String actor, String name, String extra) {
        return api.post("/v2/actor-tasks", "{\"actId\":\"" + actor + "\",\"name\":\"" + name + "\"" + extra + "}")
                .expect(201).data().get("id").asText();
    }

    @Test
    void shouldKeepTasksByIdAndNameUniquePerUser() throws Exception {
        String actor = daemon.actor("scraper", "exit", "0");
        String username = api.get("/v2/users/me").expect(200).data().get("username").asText();
        JsonNode created = api.post("/v2/actor-tasks", "{\"actId\":\"" + actor + "\",\"name\":\"daily\",\"title\":"
                + "\"Daily\",\"options\":{\"memoryMbytes\":256},\"input\":{\"q\":1}}").expect(201).data();
        String id = created.get("id").asText();
        assertEquals(actor, created.get("actId").asText());
        assertEquals(username, created.get("username").asText());
        assertEquals(256, created.get("options").get("memoryMbytes").asInt());
        assertTrue(created.get("removedAt").isNull() && created.get("actorStandby").isNull(), created.toString());
        assertEquals(0, created.get("stats").get("totalRuns").asInt());
        assertEquals(id, api.get("/v2/actor-tasks/" + username + "~daily").expect(200).data().get("id").asText());
        assertEquals(id, api.get("/v2/actor-tasks/~daily").expect(200).data().get("id").asText());
        assertEquals("name-not-unique", api.post("/v2/actor-tasks", "{\"actId\":\"" + actor + "\",\"name\":\"daily\"}")
                .expect(400).errorType());

        JsonNode updated = api.put("/v2/actor-tasks/" + id, "{\"name\":\"nightly\",\"options\":{\"timeoutSecs\":60}}")
                .expect(200).data();
        assertEquals("nightly", updated.get("name").asText());
        assertEquals(256, updated.get("options").get("memoryMbytes").asInt(), "options not named keep their value");
        assertEquals(60, updated.get("options").get("timeoutSecs").asInt());
        assertEquals("Daily", updated.get("title").asText());
        assertEquals("record-not-found", api.get("/v2/actor-tasks/~daily").expect(404).errorType());
        task(actor, "daily", "");
        assertEquals(2, api.get("/v2/actor-tasks?limit=1&desc=1").expect(200).data().get("total").asInt());
        assertEquals("nightly", api.get("/v2/actor-tasks?limit=1&desc=1").expect(200).data().get("items").get(0)
                .get("name").asText());

        api.delete("/v2/actor-tasks/" + id).expect(204);
        assertEquals("record-not-found", api.get("/v2/actor-tasks/" + id).expect(404).errorType());
        assertEquals(1, api.get("/v2/actor-tasks").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldLayerTheStartOverTheTaskOverTheActor() throws Exception {
        String actor = daemon.actor("layered", "sleep", "30");
        String id = task(actor, "layers", ",\"options\":{\"memoryMbytes\":256,\"timeoutSecs\":600},"
                + "\"input\":{\"a\":1,\"b\":2}");
        JsonNode run = api.post("/v2/actor-tasks/" + id + "/runs?timeout=30", "{\"b\":3,\"c\":4}").expect(201).data();
        String runId = run.get("id").asText();
        assertEquals(id, run.get("actorTaskId").asText());
        assertEquals(256, run.get("options").get("memoryMbytes").asInt(), "the task's memory over the actor's");
        assertEquals(30, run.get("options").get("timeoutSecs").asInt(), "the request's timeout over the task's");
        assertEquals("latest", run.get("options").get("build").asText(), "the actor's default build");
        assertEquals("API", run.get("meta").get("origin").asText());
        JsonNode input = Json.MAPPER.readTree(api.get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId")
                .asText() + "/records/INPUT").expect(200).body());
        assertEquals(Json.MAPPER.readTree("{\"a\":1,\"b\":3,\"c\":4}"), input, "the body merged over the task's input");

        awaitStatus(api, runId, "RUNNING");
        assertEquals(id, runtime.last().spec().env().get("ACTOR_TASK_ID"));
        assertEquals(id, runtime.last().spec().env().get("APIFY_ACTOR_TASK_ID"));
        assertEquals(runId, api.get("/v2/actor-tasks/" + id + "/runs/last").expect(200).data().get("id").asText());
        assertEquals(runId, api.get("/v2/actor-tasks/" + id + "/runs").expect(200).data().get("items").get(0).get("id")
                .asText());
        assertEquals(1, api.get("/v2/acts/" + actor + "/runs").expect(200).data().get("total").asInt());
        assertEquals(1, api.get("/v2/actor-tasks/" + id).expect(200).data().get("stats").get("totalRuns").asInt());
        assertEquals(run.get("defaultDatasetId").asText(), api.get("/v2/actor-tasks/" + id + "/runs/last/dataset")
                .expect(200).data().get("id").asText());
        assertEquals("ABORTED", api.post("/v2/actor-tasks/" + id + "/runs/last/abort").expect(200).data()
                .get("status").asText());
        api.get("/v2/actor-tasks/" + id + "/runs/last/log").expect(200);

        String plain = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        assertEquals(runId, api.get("/v2/actor-tasks/" + id + "/runs/last").expect(200).data().get("id").asText(),
                "a run of the actor alone is not the task's");
        assertEquals(1, api.get("/v2/actor-tasks/" + id + "/runs").expect(200).data().get("total").asInt());
        api.post("/v2/actor-runs/" + plain + "/abort").expect(200);
    }

    @Test
    void shouldGiveTheTaskInputWhenTheStartHasNone() throws Exception {
        String id = task(daemon.actor("inputs", "exit", "0"), "inputs", ",\"input\":{\"a\":1}");
        assertEquals(Json.MAPPER.readTree("{\"a\":1}"), api.get("/v2/actor-tasks/" + id + "/input").expect(200).json());
        assertEquals(Json.MAPPER.readTree("{\"a\":1,\"b\":2}"), api.put("/v2/actor-tasks/" + id + "/input",
                "{\"b\":2}").expect(200).json(), "PUT input sets the properties it names");
        JsonNode run = api.post("/v2/actor-tasks/" + id + "/runs").expect(201).data();
        assertEquals(Json.MAPPER.readTree("{\"a\":1,\"b\":2}"), Json.MAPPER.readTree(api.get("/v2/key-value-stores/"
                + run.get("defaultKeyValueStoreId").asText() + "/records/INPUT").expect(200).body()));
        assertEquals("invalid-value", api.put("/v2/actor-tasks/" + id + "/input", "3").expect(400).errorType());
        assertEquals("run-input-body-not-valid-json", api.post("/v2/actor-tasks/" + id + "/runs", "{").expect(400)
                .errorType());
    }

    @Test
    void shouldRunSynchronouslyAndFromASchedule() throws Exception {
        String id = task(daemon.actor("sync", "exit", "0"), "sync", "");
        api.post("/v2/actor-tasks/" + id + "/run-sync-get-dataset-items", "{}").expect(201);
        api.get("/v2/actor-tasks/" + id + "/run-sync").expect(404);
        String userId = api.get("/v2/users/me").expect(200).data().get("id").asText();

        String runId = daemon.daemon().tasks().start(id, userId, Optional.of(Json.MAPPER.readTree("{\"x\":1}")),
                new TaskService.Overrides(Optional.empty(), Optional.of(512L), Optional.empty()), "SCHEDULER",
                Optional.of("schedule1")).id();
        JsonNode run = api.get("/v2/actor-runs/" + runId).expect(200).data();
        assertEquals("SCHEDULER", run.get("meta").get("origin").asText());
        assertEquals("schedule1", run.get("meta").get("scheduleId").asText());
        assertEquals(id, run.get("actorTaskId").asText());
        assertEquals(512, run.get("options").get("memoryMbytes").asInt());
        assertEquals(3, api.get("/v2/actor-tasks/" + id + "/runs").expect(200).data().get("total").asInt());

        awaitStatus(api, runId, "SUCCEEDED");
        api.delete("/v2/actor-runs/" + runId).expect(204);
        assertEquals(2, api.get("/v2/actor-tasks/" + id + "/runs").expect(200).data().get("total").asInt(),
                "a deleted run leaves the task's index");
        assertEquals(2, api.get("/v2/actor-tasks/" + id).expect(200).data().get("stats").get("totalRuns").asInt());
    }

    @Test
    void shouldRefuseBadTasksAndMakeNone() throws Exception {
        String actor = daemon.actor("strict", "exit", "0");
        for (String body : new String[] {
                "{\"name\":\"no-actor\"}",
                "{\"actId\":\"AAAAAAAAAAAAAAAAA\",\"name\":\"gone\"}",
                "{\"actId\":\"" + actor + "\",\"name\":\"x\"}",
                "{\"actId\":\"" + actor + "\",\"name\":\"mem\",\"options\":{\"memoryMbytes\":1000}}",
                "{\"actId\":\"" + actor + "\",\"name\":\"time\",\"options\":{\"timeoutSecs\":-1}}",
                "{\"actId\":\"" + actor + "\",\"name\":\"scalar\",\"input\":\"text\"}",
                "{\"actId\":\"" + actor + "\",\"name\":\"public\",\"isPublic\":true}",
                "{\"actId\":\"" + actor + "\",\"name\":\"big\",\"options\":{\"memoryMbytes\":1e30}}",
                "{\"actId\":[],\"name\":\"arr\"}",
                "[]", "{", "null"}) {
            int status = api.post("/v2/actor-tasks", body).status();
            assertEquals(400, status, body);
        }
        assertEquals(0, api.get("/v2/actor-tasks").expect(200).data().get("total").asInt(), "nothing was stored");
        assertEquals("record-not-found", api.get("/v2/actor-tasks/%7E%00").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-tasks/a~%00/runs/last").expect(404).errorType());
    }

    @Test
    void shouldDeleteTasksWithTheirActorAndRefuseToRunAnOrphan() throws Exception {
        String actor = daemon.actor("doomed", "exit", "0");
        String id = task(actor, "doomed-task", "");
        Actor stale = daemon.daemon().actors().byId(actor).orElseThrow();
        api.delete("/v2/acts/" + actor).expect(204);
        assertEquals("record-not-found", api.get("/v2/actor-tasks/" + id).expect(404).errorType());
        assertEquals(0, api.get("/v2/actor-tasks").expect(200).data().get("total").asInt());

        String userId = api.get("/v2/users/me").expect(200).data().get("id").asText();
        Task orphan = daemon.daemon().tasks().create(stale, new TaskService.TaskSpec("orphan", null, null, null, null),
                userId, "local");
        assertEquals("invalid-value", api.post("/v2/actor-tasks/" + orphan.id() + "/runs").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/actor-tasks/" + orphan.id() + "/run-sync").expect(400)
                .errorType());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldHideTasksFromOtherUsers() throws Exception {
        String id = task(daemon.actor("mine", "exit", "0"), "mine", "");
        Api bob = daemon.user("bob");
        assertEquals("record-not-found", bob.get("/v2/actor-tasks/" + id).expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/actor-tasks/" + id + "/runs").expect(404).errorType());
        assertEquals("record-not-found", bob.put("/v2/actor-tasks/" + id + "/input", "{}").expect(404).errorType());
        assertEquals("record-not-found", bob.delete("/v2/actor-tasks/" + id).expect(404).errorType());
        assertEquals(0, bob.get("/v2/actor-tasks").expect(200).data().get("total").asInt());
        assertEquals(401, daemon.anonymous().get("/v2/actor-tasks/" + id).status());
    }
}
