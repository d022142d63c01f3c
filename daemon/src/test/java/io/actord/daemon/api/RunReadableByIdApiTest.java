package io.actord.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --runs-readable-by-id true}: anyone holding a run's id reads the run object, token or not, as on the
 * platform; nothing else of the run (log, storages, abort) opens with it.
 */
class RunReadableByIdApiTest {
    @StartDaemon(flags = {"--runs-readable-by-id", "true"})
    TestDaemon daemon;

    @Test
    void shouldLetAnyoneHoldingTheIdReadTheRunAndNothingElse() throws Exception {
        Api ann = daemon.user("ann");
        String actor = daemon.actor(ann, "anns", "sleep", "30");
        JsonNode started = ann.post("/v2/acts/" + actor + "/runs", "").expect(201).data();
        String run = started.get("id").asText();
        String dataset = started.get("defaultDatasetId").asText();

        for (Api reader : new Api[]{daemon.anonymous(), daemon.user("bob")}) {
            assertEquals(actor, reader.get("/v2/actor-runs/" + run).expect(200).data().get("actId").asText());
            assertEquals(run, reader.get("/v2/actor-runs/" + run + "?waitForFinish=1").expect(200).data().get("id")
                    .asText());
        }
        Api anonymous = daemon.anonymous();
        assertEquals("token-not-provided", anonymous.get("/v2/actor-runs/" + run + "/log").expect(401).errorType());
        assertEquals("token-not-provided", anonymous.get("/v2/datasets/" + dataset + "/items").expect(401)
                .errorType());
        assertEquals("token-not-provided", anonymous.post("/v2/actor-runs/" + run + "/abort").expect(401)
                .errorType());
        Api bob = daemon.user("bob2");
        assertEquals("record-not-found", bob.get("/v2/actor-runs/" + run + "/log").expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/actor-runs/" + run + "/abort").expect(404).errorType());
        assertEquals("record-not-found", anonymous.get("/v2/actor-runs/AAAAAAAAAAAAAAAAA").expect(404).errorType());
        assertEquals("RUNNING", ann.get("/v2/actor-runs/" + run).expect(200).data().get("status").asText());
    }
}
