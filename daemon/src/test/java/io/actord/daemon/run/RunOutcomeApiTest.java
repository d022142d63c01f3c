package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.FakeRuntime.FakeContainer;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Pattern;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A run from start to end through the HTTP API, on the in-process fake runtime: its status and exit code,
 * environment, status message, log and stats, and waiting for it on the server.
 */
class RunOutcomeApiTest extends FakeDaemonApiTest {
    @Test
    void shouldSucceedAndKeepTheLogAndTheInput() throws Exception {
        String actor = daemon.actor("hello", "echo", "Hello, world!");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "{\"name\":\"Ann\"}").expect(201).data();
        assertEquals("SUCCEEDED", run.get("status").asText());
        assertEquals(0, run.get("exitCode").asInt());
        assertTrue(run.get("finishedAt").isTextual());
        assertEquals(1024, run.get("options").get("memoryMbytes").asInt());
        assertEquals(2048, run.get("options").get("diskMbytes").asInt());
        assertEquals("latest", run.get("options").get("build").asText());
        assertEquals("0.0.1", run.get("buildNumber").asText());
        String log = api.get("/v2/actor-runs/" + run.get("id").asText() + "/log").expect(200).text();
        assertTrue(Pattern.compile("(?m)^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z Hello, world!$")
                .matcher(log).find(), log);
        Response input = api.get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()
                + "/records/INPUT").expect(200);
        assertEquals("{\"name\":\"Ann\"}", input.text());
        assertTrue(input.contentType().startsWith("application/json"), input.contentType());
    }

    @Test
    void shouldGiveTheWorkloadApifysEnvironment() throws Exception {
        String actor = daemon.actor("env-check", "exit", "0");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&timeout=60", "{}").expect(201).data();
        var env = runtime.last().spec().env();
        assertEquals(run.get("id").asText(), env.get("ACTOR_RUN_ID"));
        assertEquals(run.get("id").asText(), env.get("APIFY_ACTOR_RUN_ID"));
        assertEquals(run.get("defaultKeyValueStoreId").asText(), env.get("ACTOR_DEFAULT_KEY_VALUE_STORE_ID"));
        assertEquals(run.get("defaultDatasetId").asText(), env.get("APIFY_DEFAULT_DATASET_ID"));
        assertEquals("1024", env.get("ACTOR_MEMORY_MBYTES"));
        assertEquals("INPUT", env.get("ACTOR_INPUT_KEY"));
        assertEquals("4321", env.get("ACTOR_WEB_SERVER_PORT"));
        assertEquals(run.get("containerUrl").asText(), env.get("ACTOR_WEB_SERVER_URL"));
        assertTrue(env.get("ACTOR_TIMEOUT_AT").startsWith("20"), env.get("ACTOR_TIMEOUT_AT"));
        assertEquals("local/env-check", env.get("ACTOR_FULL_NAME"));
        assertEquals(1 << 30, runtime.last().spec().resources().memory().bytes().getAsLong());
    }

    @Test
    void shouldFailWithTheExitCode() throws Exception {
        String actor = daemon.actor("failing", "exit", "3");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        assertEquals("FAILED", run.get("status").asText());
        assertEquals(3, run.get("exitCode").asInt());
        assertEquals("Actor finished with exit code 3", run.get("statusMessage").asText());
    }

    @Test
    void shouldFailWithAnOutOfMemoryMessage() throws Exception {
        String actor = daemon.actor("hog", "memhog", "512");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&memory=128", "").expect(201).data();
        assertEquals("FAILED", run.get("status").asText());
        assertTrue(run.get("statusMessage").asText().contains("out of memory"), run.toString());
        assertEquals(137, run.get("exitCode").asInt());
    }

    @Test
    void shouldFailWhenTheContainerCannotStart() throws Exception {
        String actor = daemon.actor("broken", "fail-start");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        assertEquals("FAILED", run.get("status").asText());
        assertTrue(run.get("statusMessage").asText().startsWith("Actor failed to start: "), run.toString());
        String log = api.get("/v2/logs/" + run.get("id").asText()).expect(200).text();
        assertTrue(log.contains("The container failed to start"), log);
    }

    @Test
    void shouldShowTheStatusMessageTheRunSetsAndKeepATerminalOneAtTheEnd() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        String plain = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        String last = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, plain, "RUNNING");
        awaitStatus(api, last, "RUNNING");

        JsonNode shown = api.put("/v2/actor-runs/" + plain, "{\"statusMessage\":\"Crawled 5 of 10 pages\"}")
                .expect(200).data();
        api.put("/v2/actor-runs/" + last, "{\"statusMessage\":\"Done: 10 pages\",\"isStatusMessageTerminal\":true,"
                + "\"level\":\"INFO\"}").expect(200);
        api.post("/v2/actor-runs/" + plain + "/abort").expect(200);
        api.post("/v2/actor-runs/" + last + "/abort").expect(200);

        assertEquals("Crawled 5 of 10 pages", shown.get("statusMessage").asText());
        assertEquals("Actor was aborted", api.get("/v2/actor-runs/" + plain).data().get("statusMessage").asText(),
                "a plain message gives way to the run's end");
        JsonNode kept = api.get("/v2/actor-runs/" + last).data();
        assertEquals("Done: 10 pages", kept.get("statusMessage").asText(), kept.toString());
        assertTrue(kept.get("isStatusMessageTerminal").asBoolean());
        assertEquals("run-state-conflict", api.put("/v2/actor-runs/" + last, "{\"statusMessage\":\"later\"}")
                .expect(400).errorType(), "a finished run's message is final");
        assertEquals("invalid-input", api.put("/v2/actor-runs/" + last, "{\"level\":\"INFO\"}").expect(400)
                .errorType());
    }

    @Test
    void shouldWaitForTheRunOnTheServer() throws Exception {
        String actor = daemon.actor("waiter", "sleep", "1");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        long t0 = System.nanoTime();
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=999999").expect(200).data();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("SUCCEEDED", done.get("status").asText());
        assertTrue(ms >= 500, "returned after " + ms + " ms, before the run ended");
    }

    @Test
    void shouldStreamTheLogUntilTheRunEnds() throws Exception {
        String actor = daemon.actor("talker", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        FakeContainer c = runtime.last();
        c.write("first line\n");
        var http = java.net.http.HttpClient.newHttpClient();
        var pending = http.sendAsync(HttpRequest.newBuilder(api.base().resolve("/v2/actor-runs/" + id
                + "/log?stream=1&raw=1")).header("Authorization", "Bearer " + daemon.token()).build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        c.write("second line\n");
        Thread.sleep(100);
        assertFalse(pending.isDone(), "the stream must stay open while the run runs");
        c.exit(ExitStatus.exited(0));
        String log = pending.get(10, java.util.concurrent.TimeUnit.SECONDS).body();
        assertTrue(log.contains(" first line\n"), log);
        assertTrue(log.contains(" second line\n"), log);
        assertTrue(log.contains("ACTOR: The container exited, exit code 0"), log);
    }

    /**
     * The fake runtime's fixed memory figures and the run's duration reach the stats; real cgroup figures
     * (CPU use of a busy run) are RunLifecycleIT's.
     */
    @Test
    void shouldReportTheRuntimesMemoryFiguresAndTheRunsDurationAsStats() throws Exception {
        String actor = daemon.actor("measured", "sleep", "0.6");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        JsonNode stats = run.get("stats");
        assertEquals(80L << 20, stats.get("memMaxBytes").asLong());
        assertTrue(stats.get("memAvgBytes").asDouble() > 0, stats.toString());
        assertTrue(stats.get("durationMillis").asLong() >= 500, stats.toString());
        assertTrue(stats.get("computeUnits").asDouble() > 0, stats.toString());
        assertEquals(0, stats.get("memCurrentBytes").asLong());
        assertNotEquals(0, stats.get("runTimeSecs").asDouble());
    }
}
