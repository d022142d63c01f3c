package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Apify's synchronous runs through the HTTP API, on the in-process fake runtime: run-sync answers with the
 * OUTPUT record, run-sync-get-dataset-items with the items.
 */
class RunSyncApiTest extends FakeDaemonApiTest {
    @Test
    void shouldAnswerWithTheOutputRecordOnceTheRunSucceeds() throws Exception {
        String actor = daemon.actor("worker", "sleep", "30");
        CompletableFuture<Response> sync = CompletableFuture.supplyAsync(() ->
                api.post("/v2/acts/" + actor + "/run-sync?memory=256", "{\"n\":2}"));
        JsonNode run = running(actor);
        api.put("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText() + "/records/OUTPUT",
                "{\"doubled\":4}").expect(201);
        assertFalse(sync.isDone(), "it waits for the run");
        runtime.last().exit(ExitStatus.exited(0));

        Response answer = sync.get(10, TimeUnit.SECONDS);

        assertEquals(201, answer.status(), answer.text());
        assertEquals("{\"doubled\":4}", answer.text());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("SUCCEEDED", api.get("/v2/actor-runs/" + run.get("id").asText()).data().get("status").asText());
        assertEquals(256, run.get("options").get("memoryMbytes").asInt(), "the start options apply");
    }

    @Test
    void shouldAnswerWithTheDatasetItemsInTheAskedFormat() throws Exception {
        String actor = daemon.actor("scraper", "sleep", "30");
        CompletableFuture<Response> sync = CompletableFuture.supplyAsync(() ->
                api.get("/v2/actors/" + actor + "/run-sync-get-dataset-items?format=csv&fields=url"));
        JsonNode run = running(actor);
        api.post("/v2/datasets/" + run.get("defaultDatasetId").asText() + "/items",
                "[{\"url\":\"a\",\"x\":1},{\"url\":\"b\",\"x\":2}]").expect(201);
        runtime.last().exit(ExitStatus.exited(0));

        Response answer = sync.get(10, TimeUnit.SECONDS);

        assertEquals(201, answer.status(), answer.text());
        assertEquals("url\r\na\r\nb\r\n", answer.text());
        assertTrue(answer.contentType().startsWith("text/csv"), answer.contentType());
    }

    @Test
    void shouldSayWhichRunFailed() throws Exception {
        String actor = daemon.actor("broken", "exit", "3");

        Response answer = api.post("/v2/acts/" + actor + "/run-sync", "");

        assertEquals("run-failed", answer.expect(400).errorType());
        String id = api.get("/v2/acts/" + actor + "/runs/last").data().get("id").asText();
        assertEquals("Actor run did not succeed (run ID: " + id + ", status: FAILED)",
                answer.json().get("error").get("message").asText());
    }

    @Test
    void shouldAnswer404WhenTheRunSucceededWithoutTheRecord() throws Exception {
        String actor = daemon.actor("quiet", "echo", "nothing stored");

        Response answer = api.post("/v2/acts/" + actor + "/run-sync?outputRecordKey=RESULT", "");

        assertEquals("record-not-found", answer.expect(404).errorType());
        assertTrue(answer.text().contains("RESULT"), answer.text());
    }

    @Test
    void shouldAnswer408AndKeepTheRunWhenItOutlastsTheWait(@TempDir Path dir) throws Exception {
        try (TestDaemon brief = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), List.of(),
                Duration.ofSeconds(1))) {
            String actor = brief.actor("slow", "sleep", "60");

            Response answer = brief.api().post("/v2/acts/" + actor + "/run-sync", "");

            assertEquals("run-timeout-exceeded", answer.expect(408).errorType());
            String id = brief.api().get("/v2/acts/" + actor + "/runs/last").data().get("id").asText();
            String message = answer.json().get("error").get("message").asText();
            assertTrue(message.contains(id), message);
            assertEquals("RUNNING", brief.api().get("/v2/actor-runs/" + id).data().get("status").asText(),
                    "the run goes on");
            assertEquals("ABORTED", brief.api().post("/v2/actor-runs/" + id + "/abort").expect(200).data()
                    .get("status").asText());
        }
    }

    private JsonNode running(String actor) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        do {
            Response last = api.get("/v2/acts/" + actor + "/runs/last?status=RUNNING");
            if (last.status() == 200) {
                return last.data();
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no run of " + actor + " reached RUNNING");
    }
}
