package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon.Response;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code POST /v2/actor-runs/{id}/charge}: counts per event, once per idempotency key, only while the run runs. */
class RunChargeApiTest extends FakeDaemonApiTest {
    @Test
    void shouldCountChargesOncePerIdempotencyKey() throws Exception {
        String id = running();

        charge(id, "{\"eventName\":\"page\",\"count\":2}", "k1").expect(201);
        charge(id, "{\"eventName\":\"page\",\"count\":2}", "k1").expect(201);
        charge(id, "{\"eventName\":\"page\"}", "k2").expect(201);
        charge(id, "{\"eventName\":\"start\"}", null).expect(201);
        api.post("/v2/actor-runs/" + id + "/charge?idempotencyKey=k2", "{\"eventName\":\"page\"}").expect(201);

        JsonNode counts = api.get("/v2/actor-runs/" + id).expect(200).data().get("chargedEventCounts");
        assertEquals(3, counts.get("page").asLong(), counts.toString());
        assertEquals(1, counts.get("start").asLong());
    }

    @Test
    void shouldRefuseBadChargesAndChargeNothing() throws Exception {
        String id = running();
        for (String body : List.of("{}", "{\"eventName\":\"\"}", "{\"eventName\":\"a\",\"count\":0}",
                "{\"eventName\":\"a\",\"count\":-3}", "[1]", "{\"eventName\":{\"x\":1}}")) {
            assertEquals("invalid-input", charge(id, body, null).expect(400).errorType(), body);
        }
        assertEquals("invalid-request", charge(id, "{oops", null).expect(400).errorType());
        assertEquals("invalid-input", charge(id, "{\"eventName\":\"" + "e".repeat(300) + "\"}", null).expect(400)
                .errorType());
        assertEquals(0, api.get("/v2/actor-runs/" + id).data().get("chargedEventCounts").size());
        assertEquals("record-not-found", charge("nosuchrun", "{\"eventName\":\"a\"}", null).expect(404).errorType());
    }

    @Test
    void shouldRefuseToChargeAFinishedRunButAnswerARetriedCharge() throws Exception {
        String id = running();
        charge(id, "{\"eventName\":\"page\"}", "last").expect(201);
        api.post("/v2/actor-runs/" + id + "/abort").expect(200);
        awaitStatus(api, id, "ABORTED");

        charge(id, "{\"eventName\":\"page\"}", "last").expect(201);
        assertEquals("run-state-conflict", charge(id, "{\"eventName\":\"page\"}", "late").expect(400).errorType());
        assertEquals(1, api.get("/v2/actor-runs/" + id).data().get("chargedEventCounts").get("page").asLong());
    }

    @Test
    void shouldShowUsageAndNoPricingInTheRunObject() throws Exception {
        JsonNode run = api.get("/v2/actor-runs/" + running()).expect(200).data();
        assertTrue(run.get("pricingInfo").isNull(), run.toString());
        assertTrue(run.get("usage").has("ACTOR_COMPUTE_UNITS"), run.toString());
        assertEquals(0.0, run.get("usageUsd").get("DATASET_WRITES").asDouble());
        assertTrue(run.get("chargedEventCounts").isObject());
    }

    private String running() throws Exception {
        String actor = daemon.actor("ppe", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        return id;
    }

    private Response charge(String runId, String body, String key) {
        HttpRequest.Builder request = HttpRequest.newBuilder(api.base().resolve(URI.create("/v2/actor-runs/" + runId
                + "/charge"))).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("idempotency-key", key);
        }
        return api.send(request);
    }
}
