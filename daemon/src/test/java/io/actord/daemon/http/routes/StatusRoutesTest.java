package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /v2/actord/status and GET /healthz on a daemon with the fake runtime. */
class StatusRoutesTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldReportTheRuntimeCapacityAndTheRunsInProgress() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        daemon.api().post("/v2/acts/" + actor + "/runs?memory=256").expect(201);
        JsonNode status = daemon.admin("GET", "/v2/actord/status", null).expect(200).data();
        assertEquals("fake", status.get("runtime").asText());
        assertTrue(status.get("version").isTextual());
        assertTrue(status.get("startedAt").isTextual());
        assertTrue(status.get("capacity").get("memoryMbytes").asLong() > 0);
        assertTrue(status.get("capacity").get("cpus").asInt() > 0);
        assertEquals(1, status.get("runs").get("active").asInt());
        assertEquals(256, status.get("runs").get("memoryMbytes").asLong());
        assertTrue(status.has("cgroupMode"));
    }

    /** #20 defect 13: host paths and daemon-wide counts are the admin's (the Unix socket), not a token's. */
    @Test
    void shouldShowTheRuntimeAndRunCountsToTheAdminOnly() throws Exception {
        String actor = daemon.actor("counted", "sleep", "30");
        daemon.api().post("/v2/acts/" + actor + "/runs?memory=256").expect(201);

        assertEquals("insufficient-permissions", daemon.api().get("/v2/actord/status").expect(403).errorType());

        JsonNode health = daemon.anonymous().get("/healthz").expect(200).data();
        assertEquals("ok", health.get("status").asText());
        assertTrue(health.get("version").isTextual());
        assertFalse(health.has("runtime") || health.has("activeRuns"), "nothing of the host for anyone: " + health);
        assertFalse(daemon.api().get("/healthz").expect(200).data().has("runtime"), "nor for a user");

        JsonNode admin = daemon.admin("GET", "/healthz", null).expect(200).data();
        assertEquals("fake", admin.get("runtime").asText());
        assertEquals(1, admin.get("activeRuns").asInt());
    }
}
