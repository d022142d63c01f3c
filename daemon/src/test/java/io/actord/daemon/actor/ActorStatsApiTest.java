package io.actord.daemon.actor;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Actor object's {@code stats} and {@code versions}, the caller's builds across actors
 * ({@code GET /v2/actor-builds}), and {@code limit=0} as no limit on the actor, run and build lists.
 */
class ActorStatsApiTest extends FakeDaemonApiTest {
    private static final String VERSION = """
            {"versionNumber":"0.1","sourceType":"SOURCE_FILES","buildTag":"latest",
             "envVars":[{"name":"TOKEN","value":"s3cret","isSecret":true}],
             "sourceFiles":[{"name":"main.js","format":"TEXT","content":"console.log(1)"}]}""";

    @Test
    void shouldCountRunsAndBuildsAndListVersionsInTheActor() throws Exception {
        String actor = daemon.actor("counted", "exit", "0");
        JsonNode fresh = api.get("/v2/acts/" + actor).expect(200).data();
        assertEquals(0, fresh.get("stats").get("totalRuns").asLong(), fresh.toString());
        assertEquals(1, fresh.get("stats").get("totalBuilds").asLong());
        assertTrue(fresh.get("stats").get("lastRunStartedAt").isNull());
        assertEquals(0, fresh.get("versions").size());
        assertFalse(fresh.get("defaultRunOptions").get("restartOnError").asBoolean());

        api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201);
        JsonNode last = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201).data();
        api.post("/v2/acts/" + actor + "/versions", VERSION).expect(201);

        JsonNode counted = api.get("/v2/acts/" + actor).expect(200).data();
        assertEquals(2, counted.get("stats").get("totalRuns").asLong(), counted.toString());
        assertEquals(Instant.parse(last.get("startedAt").asText()),
                Instant.parse(counted.get("stats").get("lastRunStartedAt").asText()));
        JsonNode version = counted.get("versions").get(0);
        assertEquals("0.1", version.get("versionNumber").asText());
        assertFalse(counted.toString().contains("s3cret"), "a secret stays hidden: " + counted);
    }

    @Test
    void shouldListTheCallersBuildsOfAllTheirActors() throws Exception {
        String first = daemon.actor("first", "exit", "0");
        Thread.sleep(5);
        String second = daemon.actor("second", "exit", "0");
        TestDaemon.Api bob = daemon.user("bob");
        daemon.actor(bob, "bobs", "exit", "0");

        JsonNode all = api.get("/v2/actor-builds").expect(200).data();
        assertEquals(2, all.get("total").asInt(), all.toString());
        assertEquals(first, all.get("items").get(0).get("actId").asText(), "the earliest first");
        JsonNode newest = api.get("/v2/actor-builds?desc=true&limit=1").expect(200).data();
        assertEquals(1, newest.get("count").asInt());
        assertEquals(second, newest.get("items").get(0).get("actId").asText());
        assertEquals(1, api.get("/v2/actor-builds?offset=1").expect(200).data().get("count").asInt());
        assertEquals("invalid-value", api.get("/v2/actor-builds?offset=-1").expect(400).errorType());
        assertEquals(1, bob.get("/v2/actor-builds").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldTreatLimitZeroAsNoLimitOnActorRunAndBuildLists() throws Exception {
        String actor = daemon.actor("listed", "exit", "0");
        daemon.actor("other", "exit", "0");
        api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201);
        api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{}").expect(201);

        for (String list : new String[] {"/v2/acts", "/v2/acts/" + actor + "/runs", "/v2/actor-runs",
                "/v2/actor-builds", "/v2/acts/" + actor + "/builds"}) {
            JsonNode page = api.get(list + "?limit=0").expect(200).data();
            assertEquals(page.get("total").asInt(), page.get("count").asInt(), list + " " + page);
            assertTrue(page.get("count").asInt() > 0, list);
        }
    }
}
