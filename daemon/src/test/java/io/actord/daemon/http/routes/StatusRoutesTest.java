package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /v2/actord/status on a daemon with the fake runtime. */
class StatusRoutesTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldReportTheRuntimeCapacityAndTheRunsInProgress() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        daemon.api().post("/v2/acts/" + actor + "/runs?memory=256").expect(201);
        JsonNode status = daemon.api().get("/v2/actord/status").expect(200).data();
        assertEquals("fake", status.get("runtime").asText());
        assertTrue(status.get("version").isTextual());
        assertTrue(status.get("startedAt").isTextual());
        assertTrue(status.get("capacity").get("memoryMbytes").asLong() > 0);
        assertTrue(status.get("capacity").get("cpus").asInt() > 0);
        assertEquals(1, status.get("runs").get("active").asInt());
        assertEquals(256, status.get("runs").get("memoryMbytes").asLong());
        assertTrue(status.has("cgroupMode"));
    }
}
