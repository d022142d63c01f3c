package io.actord.daemon.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon.Response;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Errors as the platform names them, over the whole API: an unknown id of every resource kind (served here or
 * not) is 404 record-not-found and an unknown route page-not-found; an unknown build tag is 403 unknown-build-tag;
 * what actord has nothing behind is 400 not-implemented; and the small platform reads that answer from what actord
 * has (monthly usage, dataset statistics).
 */
class PlatformErrorsApiTest extends FakeDaemonApiTest {
    private static final String NOBODY = "AAAAAAAAAAAAAAAAA";

    @Test
    void shouldAnswerRecordNotFoundForAnUnknownIdOfEveryKind() throws Exception {
        String actor = daemon.actor("known", "exit", "0");
        List<String> byId = List.of("/v2/acts/" + NOBODY, "/v2/actors/" + NOBODY, "/v2/actor-builds/" + NOBODY,
                "/v2/actor-runs/" + NOBODY, "/v2/actor-tasks/" + NOBODY, "/v2/schedules/" + NOBODY,
                "/v2/webhooks/" + NOBODY, "/v2/webhook-dispatches/" + NOBODY, "/v2/datasets/" + NOBODY,
                "/v2/key-value-stores/" + NOBODY, "/v2/request-queues/" + NOBODY, "/v2/users/" + NOBODY,
                "/v2/logs/" + NOBODY, "/v2/acts/" + actor + "/versions/9.9",
                "/v2/actor-builds/" + NOBODY + "/log", "/v2/actor-builds/" + NOBODY + "/openapi.json",
                "/v2/datasets/" + NOBODY + "/statistics", "/v2/actor-tasks/" + NOBODY + "/input",
                "/v2/schedules/" + NOBODY + "/log", "/v2/users/" + NOBODY + "/limits");
        for (String path : byId) {
            assertEquals("record-not-found", api.get(path).expect(404).errorType(), path);
        }
        assertEquals("record-not-found", api.post("/v2/webhooks/" + NOBODY + "/test").expect(404).errorType());
        assertEquals("record-not-found", api.delete("/v2/schedules/" + NOBODY).expect(404).errorType());
        assertEquals("Actor task '" + NOBODY + "' was not found", api.get("/v2/actor-tasks/" + NOBODY).json()
                .get("error").get("message").asText());
        assertEquals("page-not-found", api.get("/v2/nothing-here/" + NOBODY).expect(404).errorType());
        assertEquals("page-not-found", api.get("/v2/actor-runs/" + NOBODY + "/nothing").expect(404).errorType(),
                "below the id of a kind actord serves, an unknown path is an unknown page");
    }

    @Test
    void shouldAnswerUnknownBuildTagWithThePlatformsStatus() throws Exception {
        String actor = daemon.actor("tagged", "exit", "0");
        Response start = api.post("/v2/acts/" + actor + "/runs?build=nightly", "").expect(403);
        assertEquals("unknown-build-tag", start.errorType());
        assertTrue(start.json().get("error").get("message").asText().contains("'nightly'"), start.text());
        api.put("/v2/acts/" + actor, "{\"defaultRunOptions\":{\"build\":\"beta\"}}").expect(200);
        assertEquals("unknown-build-tag", api.get("/v2/acts/" + actor + "/builds/default").expect(403).errorType());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt(), "nothing was started");
    }

    @Test
    void shouldAnswerNotImplementedForWhatOnlyThePlatformHas() throws Exception {
        String actor = daemon.actor("built", "exit", "0");
        String build = api.get("/v2/acts/" + actor + "/builds").expect(200).data().get("items").get(0).get("id")
                .asText();
        assertEquals("not-implemented", api.get("/v2/store").expect(400).errorType());
        assertEquals("not-implemented", api.get("/v2/actor-builds/" + build + "/openapi.json").expect(400)
                .errorType());
        assertEquals("not-implemented", api.put("/v2/users/me/limits", "{\"maxMonthlyUsageUsd\":10}").expect(400)
                .errorType());
        String dataset = api.post("/v2/datasets?name=shared", "").expect(201).data().get("id").asText();
        assertEquals("not-implemented", api.put("/v2/datasets/" + dataset,
                "{\"generalAccess\":\"ANYONE_WITH_ID_CAN_READ\"}").expect(400).errorType());
        assertEquals("shared", api.put("/v2/datasets/" + dataset, "{\"generalAccess\":\"RESTRICTED\"}").expect(200)
                .data().get("name").asText(), "what actord does anyway is accepted");
    }

    @Test
    void shouldRefuseActorFieldsActordDoesNotKeepAndCreateNothing() throws Exception {
        for (String field : List.of("\"isPublic\":true",
                "\"pricingInfos\":[{\"pricingModel\":\"FREE\"}]", "\"versions\":[{\"versionNumber\":\"0.0\"}]")) {
            Response r = api.post("/v2/acts", "{\"name\":\"refused\"," + field + "}").expect(400);
            assertEquals("not-implemented", r.errorType(), field);
        }
        assertEquals(0, api.get("/v2/acts").expect(200).data().get("total").asInt(), "nothing half-made");
        String actor = api.post("/v2/acts", "{\"name\":\"plain\",\"isPublic\":false,\"seoTitle\":\"x\"}")
                .expect(201).data().get("id").asText();
        assertEquals("not-implemented", api.put("/v2/acts/" + actor, "{\"taggedBuilds\":{\"latest\":null}}")
                .expect(400).errorType());
        assertEquals("plain", api.get("/v2/acts/" + actor).expect(200).data().get("name").asText());
    }

    @Test
    void shouldServeTheCallersOwnUserByIdOrNameOnly() throws Exception {
        JsonNode me = api.get("/v2/users/me").expect(200).data();
        assertEquals(me, api.get("/v2/users/" + me.get("id").asText()).expect(200).data());
        assertEquals(me, api.get("/v2/users/" + me.get("username").asText()).expect(200).data());
        api.get("/v2/users/" + me.get("id").asText() + "/limits").expect(200);
        String bob = daemon.user("bob").get("/v2/users/me").expect(200).data().get("id").asText();
        assertEquals("record-not-found", api.get("/v2/users/" + bob).expect(404).errorType(), "not another's");
        assertEquals("record-not-found", api.get("/v2/users/bob/usage/monthly").expect(404).errorType());
    }

    @Test
    void shouldServeMonthlyUsageAndDatasetStatistics() throws Exception {
        JsonNode usage = api.get("/v2/users/me/usage/monthly").expect(200).data();
        Instant start = Instant.parse(usage.get("usageCycle").get("startAt").asText());
        Instant end = Instant.parse(usage.get("usageCycle").get("endAt").asText());
        Instant now = Instant.now();
        assertTrue(!start.isAfter(now) && end.isAfter(now), usage.toString());
        assertEquals(0, usage.get("totalUsageCreditsUsdAfterVolumeDiscount").asInt());
        assertEquals(0, usage.get("dailyServiceUsages").size());

        String dataset = api.post("/v2/datasets?name=stats", "").expect(201).data().get("id").asText();
        JsonNode stats = api.get("/v2/datasets/" + dataset + "/statistics").expect(200).data();
        assertTrue(stats.has("fieldStatistics") && stats.get("fieldStatistics").isNull(), stats.toString());
    }

    @Test
    void shouldNeedATokenToReadARunByDefault() throws Exception {
        String actor = daemon.actor("private", "sleep", "30");
        String run = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        assertEquals("token-not-provided", daemon.anonymous().get("/v2/actor-runs/" + run).expect(401).errorType());
        assertEquals("record-not-found", daemon.user("bob").get("/v2/actor-runs/" + run).expect(404).errorType());
    }
}
