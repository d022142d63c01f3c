package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run's default storages through the whole daemon (fake runtime): created with the run, reached by shortcut. */
class RunStorageRoutesTest {
    @StartDaemon
    TestDaemon daemon;
    TestDaemon.Api api;

    @BeforeEach
    void start() {
        api = daemon.api();
    }

    @Test
    void shouldServeARunsDefaultStoragesUnderTheRunAndItsActorsLastRun() throws Exception {
        String actor = daemon.actor("storer", "exit", "0");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{\"q\":1}").expect(201).data();
        String runId = run.get("id").asText();
        JsonNode kvs = api.get("/v2/actor-runs/" + runId + "/key-value-store").expect(200).data();
        assertEquals(run.get("defaultKeyValueStoreId").asText(), kvs.get("id").asText());
        assertEquals(runId, kvs.get("actRunId").asText());
        assertEquals("{\"q\":1}", api.get("/v2/actor-runs/" + runId + "/key-value-store/records/INPUT").expect(200).text());

        api.post("/v2/actor-runs/" + runId + "/dataset/items", "[{\"a\":1},{\"a\":2}]").expect(201);
        assertEquals(2, api.get("/v2/datasets/" + run.get("defaultDatasetId").asText()).expect(200).data()
                .get("itemCount").asInt());
        for (String prefix : new String[]{"/v2/acts/", "/v2/actors/"}) {
            assertEquals("[{\"a\":1},{\"a\":2}]", api.get(prefix + actor + "/runs/last/dataset/items").expect(200).text());
            assertEquals("[{\"a\":2}]", api.get(prefix + "storer/runs/last/dataset/items?status=SUCCEEDED&desc=1&limit=1")
                    .expect(200).text());
        }
        assertEquals("record-not-found", api.get("/v2/acts/" + actor + "/runs/last/dataset?status=FAILED")
                .expect(404).errorType());

        api.post("/v2/actor-runs/" + runId + "/request-queue/requests", "{\"url\":\"http://e.com\"}").expect(201);
        JsonNode queue = api.get("/v2/actors/" + actor + "/runs/last/request-queue").expect(200).data();
        assertEquals(run.get("defaultRequestQueueId").asText(), queue.get("id").asText());
        assertEquals(1, queue.get("pendingRequestCount").asInt());

        api.send(HttpRequest.newBuilder(api.base().resolve("/v2/actor-runs/" + runId + "/key-value-store/records/OUTPUT"))
                .header("Content-Type", "text/plain").PUT(HttpRequest.BodyPublishers.ofString("done"))).expect(201);
        TestDaemon.Response output = api.get("/v2/acts/" + actor + "/runs/last/key-value-store/records/OUTPUT").expect(200);
        assertEquals("done", output.text());
        assertTrue(output.contentType().startsWith("text/plain"));
        assertEquals("record-not-found", api.get("/v2/actor-runs/nOsUcHrUn00000000/dataset").expect(404).errorType());
    }
}
