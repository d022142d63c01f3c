package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The run options that bound a run, through the HTTP API on the fake runtime: restartOnError restarts a failed
 * run on the same storages up to its cap, maxItems caps the default dataset, and both limits reach the run's
 * options and environment.
 */
class RunOptionsApiTest extends FakeDaemonApiTest {
    @Test
    void shouldRestartAFailingRunUpToTheCapThenFail() throws Exception {
        String actor = daemon.actor("flaky", "exit", "3");
        JsonNode started = api.post("/v2/acts/" + actor + "/runs?restartOnError=true", "{\"a\":1}").expect(201).data();
        String id = started.get("id").asText();

        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=20").expect(200).data();

        assertEquals("FAILED", done.get("status").asText(), done.toString());
        assertEquals(RunOptions.MAX_RESTARTS, done.get("stats").get("restartCount").asInt());
        assertEquals(3, done.get("exitCode").asInt());
        assertTrue(done.get("options").get("restartOnError").asBoolean());
        List<String> containers = runtime.created().stream().map(FakeRuntime.FakeContainer::id).toList();
        assertEquals(List.of(id + "-0", id + "-1", id + "-2", id + "-3"), containers, "one fresh container per restart");
        for (FakeRuntime.FakeContainer c : runtime.created()) {
            Map<String, String> env = c.spec().env();
            assertEquals(started.get("defaultDatasetId").asText(), env.get("ACTOR_DEFAULT_DATASET_ID"), "same storages");
            assertEquals("1", env.get("ACTOR_RESTART_ON_ERROR"));
        }
    }

    @Test
    void shouldCountEachRestartWhileTheRunGoesOn() throws Exception {
        String actor = daemon.actor("crashy", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs?restartOnError=1", "{}").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");

        runtime.last().exit(ExitStatus.exited(1));
        runtime.awaitCreated(2, java.time.Duration.ofSeconds(10));
        JsonNode restarted = awaitStatus(api, id, "RUNNING");

        assertEquals(1, restarted.get("stats").get("restartCount").asInt(), restarted.toString());
        assertTrue(restarted.get("exitCode").isNull(), "a restarted run has no exit code yet");
        assertTrue(restarted.get("statusMessage").asText().contains("restarted on error"), restarted.toString());
        runtime.last().exit(ExitStatus.exited(0));
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").data();
        assertEquals("SUCCEEDED", done.get("status").asText());
        assertEquals(1, done.get("stats").get("restartCount").asInt());
    }

    @Test
    void shouldLeaveAFailedRunFailedWithoutTheOption() throws Exception {
        String actor = daemon.actor("plain", "exit", "2");
        JsonNode done = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201).data();
        assertEquals("FAILED", done.get("status").asText());
        assertEquals(0, done.get("stats").get("restartCount").asInt());
        assertFalse(done.get("options").get("restartOnError").asBoolean());
        assertEquals(1, runtime.created().size());
        assertFalse(runtime.last().spec().env().containsKey("ACTOR_RESTART_ON_ERROR"));
    }

    @Test
    void shouldTakeRestartOnErrorFromTheActorsDefaultsUnlessTheStartSaysOtherwise() throws Exception {
        String actor = daemon.actor("defaults", "exit", "1");
        JsonNode updated = api.put("/v2/acts/" + actor, "{\"defaultRunOptions\":{\"restartOnError\":true}}")
                .expect(200).data();
        assertTrue(updated.get("defaultRunOptions").get("restartOnError").asBoolean(), updated.toString());

        JsonNode byDefault = api.post("/v2/acts/" + actor + "/runs?waitForFinish=20", "{}").expect(201).data();
        JsonNode overridden = api.post("/v2/acts/" + actor + "/runs?waitForFinish=20&restartOnError=false", "{}")
                .expect(201).data();

        assertEquals(RunOptions.MAX_RESTARTS, byDefault.get("stats").get("restartCount").asInt(), byDefault.toString());
        assertEquals(0, overridden.get("stats").get("restartCount").asInt());
        assertFalse(overridden.get("options").get("restartOnError").asBoolean());
    }

    @Test
    void shouldShowTheLimitsInTheOptionsAndGiveThemToTheRun() throws Exception {
        String actor = daemon.actor("paid", "sleep", "30");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?maxItems=2&maxTotalChargeUsd=1.5", "{}").expect(201)
                .data();
        awaitStatus(api, run.get("id").asText(), "RUNNING");

        assertEquals(2, run.get("options").get("maxItems").asLong());
        assertEquals(1.5, run.get("options").get("maxTotalChargeUsd").asDouble());
        Map<String, String> env = runtime.last().spec().env();
        assertEquals("2", env.get("ACTOR_MAX_PAID_DATASET_ITEMS"));
        assertEquals("1.5", env.get("ACTOR_MAX_TOTAL_CHARGE_USD"));
        JsonNode plain = api.post("/v2/acts/" + actor + "/runs", "{}").expect(201).data();
        assertTrue(plain.get("options").get("maxItems").isNull(), plain.toString());
        assertTrue(plain.get("options").get("maxTotalChargeUsd").isNull());
    }

    @Test
    void shouldRefuseBadLimitsAndStartNothing() throws Exception {
        String actor = daemon.actor("strict", "sleep", "30");
        for (String query : List.of("maxItems=-1", "maxItems=many", "maxTotalChargeUsd=-0.5",
                "maxTotalChargeUsd=lots", "maxTotalChargeUsd=NaN", "maxTotalChargeUsd=Infinity", "restartOnError=maybe")) {
            assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?" + query, "{}").expect(400).errorType(),
                    query);
        }
        assertEquals(0, api.get("/v2/acts/" + actor + "/runs").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldDropPushesToTheDefaultDatasetPastMaxItems() throws Exception {
        String actor = daemon.actor("capped", "sleep", "30");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?maxItems=3", "{}").expect(201).data();
        String items = "/v2/datasets/" + run.get("defaultDatasetId").asText() + "/items";

        api.post(items, "[{\"n\":1},{\"n\":2}]").expect(201);
        api.post(items, "[{\"n\":3},{\"n\":4}]").expect(201);
        api.post(items, "{\"n\":5}").expect(201);

        JsonNode stored = api.get(items).expect(200).json();
        assertEquals(3, stored.size(), stored.toString());
        assertEquals(3, stored.get(2).get("n").asInt());
        assertEquals(3, api.get("/v2/datasets/" + run.get("defaultDatasetId").asText()).data().get("itemCount").asInt());
        String other = api.post("/v2/datasets?name=uncapped", "").expect(201).data().get("id").asText();
        api.post("/v2/datasets/" + other + "/items", "[{},{},{},{},{}]").expect(201);
        assertEquals(5, api.get("/v2/datasets/" + other).data().get("itemCount").asInt(), "other datasets have no cap");
    }

    @Test
    void shouldKeepTheLimitsOnResurrection() throws Exception {
        String actor = daemon.actor("again", "exit", "0");
        JsonNode done = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&maxItems=7", "{}").expect(201).data();
        String id = done.get("id").asText();

        JsonNode resurrected = api.post("/v2/actor-runs/" + id + "/resurrect?maxTotalChargeUsd=2").expect(200).data();

        assertEquals(7, resurrected.get("options").get("maxItems").asLong(), resurrected.toString());
        assertEquals(2.0, resurrected.get("options").get("maxTotalChargeUsd").asDouble());
    }
}
