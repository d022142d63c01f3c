package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.FakeRuntime.FakeContainer;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run lifecycle through the HTTP API, on the in-process fake runtime. */
class RunApiTest {
    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon
    private TestDaemon daemon;
    private TestDaemon.Api api;

    @BeforeEach
    void start() {
        api = daemon.api();
    }

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
    void shouldTimeOutAndStopTheRun() throws Exception {
        String actor = daemon.actor("slow", "sleep", "30");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&timeout=1", "").expect(201).data();
        assertEquals("TIMED-OUT", run.get("status").asText());
        assertEquals(List.of(Signal.SIGTERM), runtime.last().signals());
    }

    @Test
    void shouldKillARunThatIgnoresSigtermWhenTheTimeoutGraceEnds() throws Exception {
        String actor = daemon.actor("stubborn", "ignore-term", "30");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?timeout=1", "").expect(201).data();
        String id = run.get("id").asText();
        JsonNode timingOut = awaitStatus(id, "TIMING-OUT");
        assertEquals("TIMING-OUT", timingOut.get("status").asText());
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        assertEquals("TIMED-OUT", done.get("status").asText());
        awaitReleased(runtime.last());
        assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), runtime.last().signals());
    }

    @Test
    void shouldAbortImmediately() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        JsonNode aborted = api.post("/v2/actor-runs/" + id + "/abort").expect(200).data();
        assertEquals("ABORTED", aborted.get("status").asText());
        assertTrue(aborted.get("finishedAt").isTextual());
        assertEquals(Signal.SIGKILL, runtime.last().signals().get(0));
        awaitReleased(runtime.last());
    }

    @Test
    void shouldShowTheStatusMessageTheRunSetsAndKeepATerminalOneAtTheEnd() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        String plain = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        String last = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(plain, "RUNNING");
        awaitStatus(last, "RUNNING");

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
                .expect(409).errorType(), "a finished run's message is final");
        assertEquals("invalid-input", api.put("/v2/actor-runs/" + last, "{\"level\":\"INFO\"}").expect(400)
                .errorType());
    }

    @Test
    void shouldDeleteAFinishedRunWithItsLogAndDefaultStoragesButNotARunningOne() throws Exception {
        String actor = daemon.actor("short", "echo", "hi");
        JsonNode done = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        String id = done.get("id").asText();
        String sleeper = daemon.actor("sleeper", "sleep", "30");
        String running = api.post("/v2/acts/" + sleeper + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(running, "RUNNING");

        assertEquals(204, api.delete("/v2/actor-runs/" + id).status());

        assertEquals("record-not-found", api.get("/v2/actor-runs/" + id).expect(404).errorType());
        assertEquals(404, api.get("/v2/actor-runs/" + id + "/log").status());
        assertEquals(404, api.get("/v2/datasets/" + done.get("defaultDatasetId").asText()).status());
        assertEquals(404, api.get("/v2/key-value-stores/" + done.get("defaultKeyValueStoreId").asText()).status());
        assertEquals("run-state-conflict", api.delete("/v2/actor-runs/" + running).expect(409).errorType());
        assertEquals("RUNNING", api.get("/v2/actor-runs/" + running).data().get("status").asText());
    }

    @Test
    void shouldDeleteARunThatHasJustEndedOnceItsContainerIsReleased() throws Exception {
        String actor = daemon.actor("ending", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeContainer container = runtime.last();
        container.holdRelease(release);
        container.exit(ExitStatus.exited(0));
        awaitStatus(id, "SUCCEEDED");

        CompletableFuture<Response> deleting;
        try {
            deleting = CompletableFuture.supplyAsync(() -> api.delete("/v2/actor-runs/" + id));
            Thread.sleep(300);
            assertFalse(deleting.isDone(), () -> "answered while the container was still being released: "
                    + deleting.join().status() + " " + deleting.join().text());
        } finally {
            release.complete(null);
        }

        assertEquals(204, deleting.get(10, TimeUnit.SECONDS).status());
        assertTrue(container.closed());
        assertEquals("record-not-found", api.get("/v2/actor-runs/" + id).expect(404).errorType());
    }

    @Test
    void shouldAbortGracefullyAndKillAfterTheGracePeriod() throws Exception {
        String actor = daemon.actor("stubborn", "ignore-term", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        JsonNode aborting = api.post("/v2/actor-runs/" + id + "/abort?gracefully=1").expect(200).data();
        assertEquals("ABORTING", aborting.get("status").asText());
        assertEquals("ABORTING", api.post("/v2/actor-runs/" + id + "/abort?gracefully=true").expect(200).data()
                .get("status").asText(), "a second abort changes nothing");
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        assertEquals("ABORTED", done.get("status").asText());
        awaitReleased(runtime.last());
        assertEquals(List.of(Signal.SIGTERM, Signal.SIGKILL), runtime.last().signals());
    }

    @Test
    void shouldReportAbortedWhenTheWorkloadExitsCleanlyOnAGracefulAbort() throws Exception {
        String actor = daemon.actor("polite", "trap-term", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        api.post("/v2/actor-runs/" + id + "/abort?gracefully=1").expect(200);
        JsonNode done = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        assertEquals("ABORTED", done.get("status").asText());
        assertEquals(List.of(Signal.SIGTERM), runtime.last().signals());
    }

    @Test
    void shouldAnswerAnAbortOfAFinishedRunWithTheRunUnchanged() throws Exception {
        String actor = daemon.actor("quick", "exit", "0");
        JsonNode run = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        JsonNode after = api.post("/v2/actor-runs/" + run.get("id").asText() + "/abort").expect(200).data();
        assertEquals("SUCCEEDED", after.get("status").asText());
        assertEquals(run.get("finishedAt"), after.get("finishedAt"));
    }

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
        assertEquals("{\"a\":1}", new String(java.nio.file.Files.readAllBytes(
                runtime.last().spec().mounts().get(0).source().resolve("INPUT")), StandardCharsets.UTF_8));
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
        awaitStatus(id, "RUNNING");
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
        assertEquals("run-state-conflict", api.post("/v2/actor-runs/" + id + "/reboot").expect(409).errorType(),
                "only a running run reboots");
    }

    @Test
    void shouldRefuseToResurrectARunningRun() throws Exception {
        String actor = daemon.actor("busy", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        Response r = api.post("/v2/actor-runs/" + id + "/resurrect").expect(409);
        assertEquals("run-state-conflict", r.errorType());
    }

    @Test
    void shouldResurrectRightAfterAnImmediateAbort() throws Exception {
        String actor = daemon.actor("bounce", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        api.post("/v2/actor-runs/" + id + "/abort").expect(200);
        JsonNode again = api.post("/v2/actor-runs/" + id + "/resurrect").expect(200).data();
        assertEquals("RUNNING", again.get("status").asText());
        assertEquals(2, runtime.created().size());
        awaitReleased(runtime.created().get(0));
        api.post("/v2/actor-runs/" + id + "/abort").expect(200);
        awaitReleased(runtime.created().get(1));
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
        awaitStatus(id, "RUNNING");
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
        awaitStatus(id, "RUNNING");
        JsonNode aborted = api.post("/v2/acts/sleepy/runs/last/abort").expect(200).data();

        assertEquals(id, aborted.get("id").asText());
        assertEquals("ABORTED", aborted.get("status").asText());
    }

    @Test
    void shouldAnswerUnknownThingsWithRecordNotFound() throws Exception {
        String actor = daemon.actor("known", "exit", "0");
        assertEquals("record-not-found", api.post("/v2/acts/nobody/runs", "").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/acts/" + actor + "/runs?build=beta", "").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/acts/" + actor + "/runs?build=0.0.9", "").expect(404).errorType());
        assertEquals("record-not-found", api.get("/v2/actor-runs/AAAAAAAAAAAAAAAAA").expect(404).errorType());
        assertEquals("record-not-found", api.post("/v2/actor-runs/AAAAAAAAAAAAAAAAA/abort").expect(404).errorType());
        api.post("/v2/acts/" + actor + "/runs?build=0.0.1&waitForFinish=10", "").expect(201);
    }

    @Test
    void shouldRefuseBadMemoryAndTimeoutValues() throws Exception {
        String actor = daemon.actor("limits", "exit", "0");
        Response r = api.post("/v2/acts/" + actor + "/runs?memory=1000", "").expect(400);
        assertEquals("invalid-value", r.errorType());
        assertTrue(r.json().get("error").get("message").asText().contains("128, 256, 512"), r.text());
        assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?memory=65536", "").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?memory=64", "").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?timeout=-1", "").expect(400).errorType());
        assertEquals("invalid-value", api.post("/v2/acts/" + actor + "/runs?timeout=soon", "").expect(400).errorType());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt(), "nothing was started");
    }

    @Test
    void shouldRefuseRunOptionsItWouldNotHonourNamingThem() throws Exception {
        String actor = daemon.actor("options", "exit", "0");
        Response restart = api.post("/v2/acts/" + actor + "/runs?restartOnError=true", "").expect(400);
        assertEquals("invalid-value", restart.errorType());
        assertTrue(restart.text().contains("restartOnError"), restart.text());
        Response limited = api.post("/v2/acts/" + actor + "/runs?forcePermissionLevel=LIMITED_PERMISSIONS", "")
                .expect(400);
        assertTrue(limited.text().contains("forcePermissionLevel 'LIMITED_PERMISSIONS'"), limited.text());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt(), "nothing was started");
        String id = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&restartOnError=false"
                + "&forcePermissionLevel=FULL_PERMISSIONS&maxItems=10&maxTotalChargeUsd=5", "").expect(201).data()
                .get("id").asText();
        awaitStatus(id, "SUCCEEDED");
        assertTrue(api.post("/v2/actor-runs/" + id + "/resurrect?restartOnError=1", "").expect(400).text()
                .contains("restartOnError"));
    }

    @Test
    void shouldAnswerChargeWithNotImplemented() throws Exception {
        String id = api.post("/v2/acts/" + daemon.actor("charged", "exit", "0") + "/runs?waitForFinish=10", "")
                .expect(201).data().get("id").asText();
        Response charge = api.post("/v2/actor-runs/" + id + "/charge", "{\"eventName\":\"result\",\"count\":1}")
                .expect(400);
        assertEquals("not-implemented", charge.errorType());
        assertTrue(charge.text().contains("charging is not implemented"), charge.text());
        assertEquals("record-not-found", api.post("/v2/actor-runs/nosuchrun/charge", "{}").expect(404).errorType());
    }

    @Test
    void shouldRefuseAJsonInputThatIsNotJson() throws Exception {
        String actor = daemon.actor("strict", "exit", "0");
        assertEquals("run-input-body-not-valid-json",
                api.post("/v2/acts/" + actor + "/runs", "{not json").expect(400).errorType());
        JsonNode run = api.send(HttpRequest.newBuilder(api.base().resolve("/v2/acts/" + actor + "/runs?waitForFinish=10"))
                .header("Content-Type", "text/plain").POST(HttpRequest.BodyPublishers.ofString("{not json")))
                .expect(201).data();
        Response input = api.get("/v2/key-value-stores/" + run.get("defaultKeyValueStoreId").asText()
                + "/records/INPUT").expect(200);
        assertEquals("text/plain", input.contentType());
    }

    @Test
    void shouldStoreTheFilesARunLeavesAsRecords() throws Exception {
        String actor = daemon.actor("writer", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(id, "RUNNING");
        Path kv = runtime.last().spec().mounts().get(0).source();
        java.nio.file.Files.writeString(kv.resolve("OUTPUT"), "{\"greeting\":\"hi\"}");
        java.nio.file.Files.createSymbolicLink(kv.resolve("LEAK"), Path.of("/etc/hostname"));
        runtime.last().exit(ExitStatus.exited(0));
        JsonNode run = api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200).data();
        String store = run.get("defaultKeyValueStoreId").asText();
        Response output = api.get("/v2/key-value-stores/" + store + "/records/OUTPUT").expect(200);
        assertEquals("{\"greeting\":\"hi\"}", output.text());
        assertTrue(output.contentType().startsWith("application/json"));
        assertEquals("record-not-found", api.get("/v2/key-value-stores/" + store + "/records/LEAK").expect(404)
                .errorType(), "a symlink must not be followed out of the run");
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

    private JsonNode awaitStatus(String runId, String status) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        JsonNode run;
        do {
            run = api.get("/v2/actor-runs/" + runId).expect(200).data();
            if (run.get("status").asText().equals(status)) {
                return run;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("run " + runId + " never reached " + status + ": " + run);
    }

    private static void awaitReleased(FakeContainer c) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.closed()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("container " + c.id() + " was never released");
            }
            Thread.sleep(10);
        }
    }

    /** Apify's synchronous runs: run-sync answers with the OUTPUT record, run-sync-get-dataset-items with the items. */
    @Nested
    class RunSync {
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

    /** Apify's metamorph: the running run becomes a run of another actor, on the same storages. */
    @Nested
    class Metamorphs {
        @Test
        void shouldReplaceTheContainerWithTheTargetsBuildOnTheSameStoragesWithTheNewInput() throws Exception {
            String first = daemon.actor("first", "sleep", "30");
            String target = daemon.actor("target", "sleep", "30");
            JsonNode started = api.post("/v2/acts/" + first + "/runs?timeout=600", "{\"n\":1}").expect(201).data();
            String id = started.get("id").asText();
            awaitStatus(id, "RUNNING");
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
            assertEquals("record-not-found", api.post(path + "?targetActorId=" + second + "&build=9.9.9", "{}")
                    .expect(404).errorType(), "an unknown build");
            assertEquals("run-input-body-not-valid-json", api.post(path + "?targetActorId=" + second, "{oops")
                    .expect(400).errorType());
            assertEquals("record-not-found", api.post("/v2/actor-runs/NoSuchRun/metamorph?targetActorId=" + second, "{}")
                    .expect(404).errorType());
            assertEquals(1, runtime.created().size(), "nothing was replaced");
            assertEquals("RUNNING", api.get("/v2/actor-runs/" + id).data().get("status").asText());

            runtime.last().exit(ExitStatus.exited(0));
            api.get("/v2/actor-runs/" + id + "?waitForFinish=10").expect(200);
            assertEquals("run-state-conflict", api.post(path + "?targetActorId=" + second, "{}").expect(409).errorType(),
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
            awaitStatus(id, "RUNNING");
            return id;
        }
    }
}
