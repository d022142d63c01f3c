package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.FakeRuntime.FakeContainer;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.Signal;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.actord.daemon.testing.TestRuns.awaitReleased;
import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Ending a run early through the HTTP API, on the in-process fake runtime: its timeout, an abort (immediate
 * or graceful) and deleting a run.
 */
class RunAbortApiTest extends FakeDaemonApiTest {
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
        JsonNode timingOut = awaitStatus(api, id, "TIMING-OUT");
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
        awaitStatus(api, id, "RUNNING");
        JsonNode aborted = api.post("/v2/actor-runs/" + id + "/abort").expect(200).data();
        assertEquals("ABORTED", aborted.get("status").asText());
        assertTrue(aborted.get("finishedAt").isTextual());
        assertEquals(Signal.SIGKILL, runtime.last().signals().get(0));
        awaitReleased(runtime.last());
    }

    @Test
    void shouldAbortGracefullyAndKillAfterTheGracePeriod() throws Exception {
        String actor = daemon.actor("stubborn", "ignore-term", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
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
        awaitStatus(api, id, "RUNNING");
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
    void shouldDeleteAFinishedRunWithItsLogAndDefaultStoragesButNotARunningOne() throws Exception {
        String actor = daemon.actor("short", "echo", "hi");
        JsonNode done = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10", "").expect(201).data();
        String id = done.get("id").asText();
        String sleeper = daemon.actor("sleeper", "sleep", "30");
        String running = api.post("/v2/acts/" + sleeper + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, running, "RUNNING");

        assertEquals(204, api.delete("/v2/actor-runs/" + id).status());

        assertEquals("record-not-found", api.get("/v2/actor-runs/" + id).expect(404).errorType());
        assertEquals(404, api.get("/v2/actor-runs/" + id + "/log").status());
        assertEquals(404, api.get("/v2/datasets/" + done.get("defaultDatasetId").asText()).status());
        assertEquals(404, api.get("/v2/key-value-stores/" + done.get("defaultKeyValueStoreId").asText()).status());
        assertEquals("cannot-remove-running-run", api.delete("/v2/actor-runs/" + running).expect(400).errorType());
        assertEquals("RUNNING", api.get("/v2/actor-runs/" + running).data().get("status").asText());
    }

    @Test
    void shouldDeleteARunThatHasJustEndedOnceItsContainerIsReleased() throws Exception {
        String actor = daemon.actor("ending", "sleep", "30");
        String id = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, id, "RUNNING");
        CompletableFuture<Void> release = new CompletableFuture<>();
        FakeContainer container = runtime.last();
        container.holdRelease(release);
        container.exit(ExitStatus.exited(0));
        awaitStatus(api, id, "SUCCEEDED");

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
}
