package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.FakeRuntime.FakeContainer;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static io.actord.daemon.testing.TestRuns.awaitReleased;
import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run going on in a new container through the HTTP API, on the in-process fake runtime: resurrect, reboot
 * and metamorph, each on the same storages.
 */
class RunRestartApiTest extends FakeDaemonApiTest {
    @Test
    void shouldResurrectAFinishedRunOnTheSameStorages() throws Exception {
        String actor = daemon.actor("again", "sleep", "0.3");
        JsonNode first = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{\"a\":1}").expect(201).data();
        assertEquals("SUCCEEDED", first.get("status").asText());
        String id = first.get("id").asText();
        Thread.sleep(300);
        JsonNode resurrected = api.post("/v2/actor-runs/" + id + "/resurrect?timeout=120&memory=256").expect(200).data();
        assertEquals("RUNNING", resurrected.get("status").asText());
        assertTrue(resurrected.get("finishedAt").isNull());
        assertTrue(resurrected.get("exitCode").isNull());
        assertEquals(1, resurrected.get("stats").get("resurrectCount").asInt());
        assertEquals(120, resurrected.get("options").get("timeoutSecs").asInt());
        assertEquals(256, resurrected.get("options").get("memoryMbytes").asInt());
        assertEquals("0.0.1", resurrected.get("options").get("build").asText());
        for (String storage : List.of("defaultKeyValueStoreId", "defaultDatasetId", "defaultRequestQueueId")) {
            assertEquals(first.get(storage), resurrected.get(storage), storage);
        }
        assertEquals(id + "-1", runtime.last().id());
        String timeoutAt = runtime.last().spec().env().get("ACTOR_TIMEOUT_AT");
        assertTrue(java.time.Instant.parse(timeoutAt).isAfter(java.time.Instant.now().plusSeconds(110)), timeoutAt);
        assertEquals("{\"a\":1}", new String(runtime.last().spec().exchange().orElseThrow().files().get("INPUT"),
                StandardCharsets.UTF_8));
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        assertEquals("SUCCEEDED", done.get("status").asText());
        long duration = done.get("stats").get("durationMillis").asLong();
        double computeUnits = done.get("stats").get("computeUnits").asDouble();
        assertTrue(duration >= 850, "duration " + duration + " must include the 300 ms the run was stopped");
        assertTrue(computeUnits <= (duration - 250) / 3_600_000.0, "compute units " + computeUnits
                + " must not count the stopped time");
    }

    @Test
    void shouldRebootARunningRunIntoAFreshContainerOnTheSameStorages() throws Exception {
        String actor = daemon.actor("crawler", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "{\"n\":1}").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        FakeRuntime.FakeContainer first = runtime.last();

        JsonNode rebooted = api.post("/v2/actor-runs/" + id + "/reboot").expect(200).data();

        assertEquals("RUNNING", rebooted.get("status").asText());
        assertEquals(1, rebooted.get("stats").get("rebootCount").asInt());
        assertEquals(2, runtime.created().size(), "a fresh container");
        assertTrue(first.closed(), "the old container is gone");
        assertEquals(id + "-1", runtime.last().spec().id());
        assertTrue(rebooted.get("exitCode").isNull(), rebooted.toString());
        assertEquals("{\"n\":1}", api.get("/v2/actor-runs/" + id + "/key-value-store/records/INPUT").expect(200).text());
        runtime.last().exit(ExitStatus.exited(0));
        assertEquals("SUCCEEDED", api.get("/v2/actor-runs/" + id + "?waitForFinish=10").data().get("status").asText());
        assertEquals("run-state-conflict", api.post("/v2/actor-runs/" + id + "/reboot").expect(400).errorType(),
                "only a running run reboots");
    }

    @Test
    void shouldRefuseToResurrectARunningRun() throws Exception {
        String actor = daemon.actor("busy", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        Response r = api.post("/v2/actor-runs/" + id + "/resurrect").expect(400);
        assertEquals("run-state-conflict", r.errorType());
    }

    @Test
    void shouldResurrectRightAfterAnImmediateAbort() throws Exception {
        String actor = daemon.actor("bounce", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        api.post("/v2/actor-runs/" + id + "/abort").expect(200);
        JsonNode again = api.post("/v2/actor-runs/" + id + "/resurrect").expect(200).data();
        assertEquals("RUNNING", again.get("status").asText());
        assertEquals(2, runtime.created().size());
        awaitReleased(runtime.created().get(0));
        api.post("/v2/actor-runs/" + id + "/abort").expect(200);
        awaitReleased(runtime.created().get(1));
    }

    /** Apify's metamorph: the running run becomes a run of another actor, on the same storages. */
    @Nested
    class Metamorphs {
        @Test
        void shouldReplaceTheContainerWithTheTargetsBuildOnTheSameStoragesWithTheNewInput() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String target = daemon.actor("target", "sleep", "30");
            JsonNode started = api.post("/v2/acts/" + first + "/runs?timeout=600", "{\"n\":1}").expect(201).data();
            String id = started.get("id").asText();
            awaitStatus(api, id, "RUNNING");
            FakeContainer old = runtime.last();

            JsonNode run = api.post("/v2/actor-runs/" + id + "/metamorph?targetActorId=local%7Etarget",
                    "{\"to\":\"target\"}").expect(200).data();

            assertEquals("RUNNING", run.get("status").asText());
            assertEquals(target, run.get("actId").asText());
            JsonNode targetBuild = api.get("/v2/acts/" + target).data().get("taggedBuilds").get("latest");
            assertEquals(targetBuild.get("buildId").asText(), run.get("buildId").asText());
            assertEquals("0.0.1", run.get("buildNumber").asText());
            JsonNode m = run.get("metamorphs").get(0);
            assertEquals(target, m.get("actorId").asText());
            assertEquals(run.get("buildId"), m.get("buildId"));
            assertEquals("INPUT-METAMORPH-1", m.get("inputKey").asText());
            assertTrue(m.get("createdAt").isTextual(), m.toString());
            assertEquals(1, run.get("stats").get("metamorph").asInt());
            for (String same : new String[]{"defaultKeyValueStoreId", "defaultDatasetId", "defaultRequestQueueId",
                    "containerUrl", "startedAt"}) {
                assertEquals(started.get(same), run.get(same), same);
            }
            assertEquals(600, run.get("options").get("timeoutSecs").asInt());

            assertTrue(old.closed(), "the first actor's container is gone");
            FakeContainer now = runtime.last();
            assertEquals(id + "-1", now.spec().id());
            Map<String, String> env = now.spec().env();
            assertEquals("INPUT-METAMORPH-1", env.get("ACTOR_INPUT_KEY"));
            assertEquals("INPUT-METAMORPH-1", env.get("APIFY_INPUT_KEY"));
            assertEquals(target, env.get("ACTOR_ID"));
            assertEquals(started.get("defaultKeyValueStoreId").asText(), env.get("ACTOR_DEFAULT_KEY_VALUE_STORE_ID"));
            assertEquals(started.get("timeoutAt"), run.get("timeoutAt"));
            assertEquals("{\"to\":\"target\"}", api.get("/v2/actor-runs/" + id
                    + "/key-value-store/records/INPUT-METAMORPH-1").expect(200).text());
            assertEquals("{\"n\":1}", api.get("/v2/actor-runs/" + id + "/key-value-store/records/INPUT").expect(200).text(),
                    "the original input stays");
            assertEquals(id, api.get("/v2/acts/" + target + "/runs").data().get("items").get(0).get("id").asText(),
                    "the run is now the target's");

            now.exit(ExitStatus.exited(0));
            JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").data();
            assertEquals("SUCCEEDED", done.get("status").asText());
            assertEquals(target, done.get("actId").asText());
        }

        @Test
        void shouldNumberEachMetamorphsInputAndTakeTheBodysContentType() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String second = daemon.actor("second", "sleep", "30");
            String id = runningRunOf(first);
            api.post("/v2/actor-runs/" + id + "/metamorph?targetActorId=" + second + "&build=0.0.1", "{}").expect(200);
            JsonNode run = api.send(HttpRequest.newBuilder(api.base().resolve("/v2/actor-runs/" + id
                            + "/metamorph?targetActorId=" + first + "&build=latest")).header("Content-Type", "text/plain")
                    .POST(HttpRequest.BodyPublishers.ofString("plain words"))).expect(200).data();

            assertEquals(first, run.get("actId").asText());
            assertEquals(2, run.get("metamorphs").size());
            assertEquals("INPUT-METAMORPH-2", run.get("metamorphs").get(1).get("inputKey").asText());
            assertEquals(id + "-2", runtime.last().spec().id());
            assertEquals("INPUT-METAMORPH-2", runtime.last().spec().env().get("ACTOR_INPUT_KEY"));
            Response input = api.get("/v2/actor-runs/" + id + "/key-value-store/records/INPUT-METAMORPH-2")
                    .expect(200);
            assertEquals("plain words", input.text());
            assertTrue(input.contentType().startsWith("text/plain"), input.contentType());
        }

        @Test
        void shouldRefuseWhatCannotBeMetamorphedWithApifysErrors() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String second = daemon.actor("second", "exit", "0");
            String id = runningRunOf(first);
            String path = "/v2/actor-runs/" + id + "/metamorph";

            assertEquals("invalid-value", api.post(path, "{}").expect(400).errorType(), "targetActorId is required");
            assertEquals("record-not-found", api.post(path + "?targetActorId=local~nobody", "{}").expect(404).errorType());
            assertEquals("unknown-build-tag", api.post(path + "?targetActorId=" + second + "&build=9.9.9", "{}")
                    .expect(403).errorType(), "an unknown build");
            assertEquals("run-input-body-not-valid-json", api.post(path + "?targetActorId=" + second, "{oops")
                    .expect(400).errorType());
            assertEquals("record-not-found", api.post("/v2/actor-runs/NoSuchRun/metamorph?targetActorId=" + second, "{}")
                    .expect(404).errorType());
            assertEquals(1, runtime.created().size(), "nothing was replaced");
            assertEquals("RUNNING", api.get("/v2/actor-runs/" + id).data().get("status").asText());

            runtime.last().exit(ExitStatus.exited(0));
            api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200);
            assertEquals("run-state-conflict", api.post(path + "?targetActorId=" + second, "{}").expect(400).errorType(),
                    "only a running run metamorphs");
            assertEquals(404, api.get("/v2/actor-runs/" + id + "/key-value-store/records/INPUT-METAMORPH-1").status(),
                    "a refused metamorph stores no input");
        }

        @Test
        void shouldRefuseTheEleventhMetamorph() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String id = runningRunOf(first);
            for (int i = 1; i <= Metamorph.MAX_PER_RUN; i++) {
                api.post("/v2/actor-runs/" + id + "/metamorph?targetActorId=" + first, "{\"i\":" + i + "}").expect(200);
            }
            assertEquals("max-metamorphs-exceeded", api.post("/v2/actor-runs/" + id + "/metamorph?targetActorId="
                    + first, "{}").expect(400).errorType());
            assertEquals(Metamorph.MAX_PER_RUN + 1, runtime.created().size());
        }

        @Test
        void shouldMetamorphAnActorsLastRun() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String second = daemon.actor("second", "sleep", "30");
            String id = runningRunOf(first);
            JsonNode run = api.post("/v2/acts/" + first + "/runs/last/metamorph?targetActorId=" + second, "{}")
                    .expect(200).data();
            assertEquals(id, run.get("id").asText());
            assertEquals(second, run.get("actId").asText());
        }

        private String runningRunOf(String actor) throws InterruptedException {
            String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
            awaitStatus(api, id, "RUNNING");
            return id;
        }
    }
}
