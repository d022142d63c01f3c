package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon.Response;
import io.actord.runtime.ExitStatus;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.nio.file.Path;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What a run is started with and what it leaves, through the HTTP API, on the in-process fake runtime: the
 * run options and input it accepts or refuses, charging, and the files it leaves as records.
 */
class RunInputApiTest extends FakeDaemonApiTest {
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
        Response limited = api.post("/v2/acts/" + actor + "/runs?forcePermissionLevel=LIMITED_PERMISSIONS", "")
                .expect(400);
        assertEquals("invalid-value", limited.errorType());
        assertTrue(limited.text().contains("forcePermissionLevel 'LIMITED_PERMISSIONS'"), limited.text());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt(), "nothing was started");
        String id = api.post("/v2/acts/" + actor + "/runs?waitForFinish=10&restartOnError=false"
                + "&forcePermissionLevel=FULL_PERMISSIONS&maxItems=10&maxTotalChargeUsd=5", "").expect(201).data()
                .get("id").asText();
        awaitStatus(api, id, "SUCCEEDED");
        assertTrue(api.post("/v2/actor-runs/" + id + "/resurrect?forcePermissionLevel=LIMITED_PERMISSIONS", "")
                .expect(400).text().contains("forcePermissionLevel"));
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
        awaitStatus(api, id, "RUNNING");
        Path kv = runtime.last().exchangeDirectory().orElseThrow();
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
}
