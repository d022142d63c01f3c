package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import org.junit.jupiter.api.Test;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding runs through the HTTP API, on the in-process fake runtime: listing and paging, by status and
 * start time, an actor's last run, and unknown ones.
 */
class RunListingApiTest extends FakeDaemonApiTest {
    @Test
    void shouldListRunsAndFindTheLastOne() throws Exception {
        String actor = daemon.actor("lister", "exit", "0");
        String other = daemon.actor("other", "exit", "1");
        for (int i = 0; i < 3; i++) {
            api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201);
        }
        String failed = api.post("/v2/actors/" + other + "/runs?waitForFinish=10", "").expect(201).data().get("id").asText();
        JsonNode page = api.get("/v2/actors/local~lister/runs?limit=2&desc=1").expect(200).data();
        assertEquals(3, page.get("total").asInt());
        assertEquals(2, page.get("count").asInt());
        assertTrue(page.get("desc").asBoolean());
        JsonNode all = api.get("/v2/actor-runs?status=FAILED").expect(200).data();
        assertEquals(1, all.get("total").asInt());
        assertEquals(failed, all.get("items").get(0).get("id").asText());
        JsonNode last = api.get("/v2/acts/lister/runs/last").expect(200).data();
        assertEquals(page.get("items").get(0).get("id"), last.get("id"));
        api.get("/v2/acts/lister/runs/last?status=FAILED").expect(404);
        assertEquals(4, api.get("/v2/actor-runs").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldListRunsStartedWithinATimeRange() throws Exception {
        String actor = daemon.actor("timed", "exit", "0");
        JsonNode first = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        Thread.sleep(5);
        JsonNode second = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        String between = first.get("startedAt").asText();

        JsonNode after = api.get("/v2/acts/" + actor + "/runs?startedAfter=" + between).expect(200).data();
        JsonNode before = api.get("/v2/actor-runs?startedBefore=" + second.get("startedAt").asText()).expect(200)
                .data();

        assertEquals(1, after.get("total").asInt(), after.toString());
        assertEquals(second.get("id"), after.get("items").get(0).get("id"));
        assertEquals(1, before.get("total").asInt(), before.toString());
        assertEquals(first.get("id"), before.get("items").get(0).get("id"));
        assertEquals("invalid-value", api.get("/v2/actor-runs?startedAfter=yesterday").expect(400).errorType());
    }

    @Test
    void shouldReadTheLogOfAndAbortTheLastRun() throws Exception {
        String actor = daemon.actor("talker", "echo", "last words");
        api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201);
        assertTrue(api.get("/v2/actors/talker/runs/last/log").expect(200).text().contains("last words"));

        String sleeper = daemon.actor("sleepy", "sleep", "30");
        String id = api.post("/v2/acts/" + sleeper + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        JsonNode aborted = api.post("/v2/acts/sleepy/runs/last/abort").expect(200).data();

        assertEquals(id, aborted.get("id").asText());
        assertEquals("ABORTED", aborted.get("status").asText());
    }

    @Test
    void shouldAnswerUnknownThingsWithRecordNotFound() throws Exception {
        String actor = daemon.actor("known", "exit", "0");
        assertEquals("record-not-found", api.post("/v2/acts/nobody/runs", "").expect(404).errorType());
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + actor + "/runs?build=beta", "").expect(403).errorType());
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + actor + "/runs?build=0.0.9", "").expect(403).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-runs/AAAAAAAAAAAAAAAAA").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/actor-runs/AAAAAAAAAAAAAAAAA/abort").expect(404).errorType());
        api.post("/v2/acts/" + actor + "/runs?build=0.0.1&waitForFinish=10", "").expect(201);
    }
}
