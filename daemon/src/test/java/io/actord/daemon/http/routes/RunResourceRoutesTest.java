package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.runoptions.RunSize;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GET /v2/actord/run-sizes and /v2/actord/runs/{runId}/samples on a daemon with the fake runtime. */
class RunResourceRoutesTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldListEveryMemorySizeWithItsCpuAndDisk() throws Exception {
        JsonNode items = daemon.api().get("/v2/actord/run-sizes").expect(200).data().get("items");
        assertEquals(RunSize.all().size(), items.size());
        JsonNode first = items.get(0);
        assertEquals(128, first.get("memoryMbytes").asLong());
        assertEquals(RunSize.of(128).cpuCores(), first.get("cpuCores").asDouble());
        assertEquals(256, first.get("diskMbytes").asLong());
        assertEquals(32768, items.get(items.size() - 1).get("memoryMbytes").asLong());
    }

    @Test
    void shouldReturnARunsSamplesOldestFirst() throws Exception {
        String actor = daemon.actor("sleeper", "sleep", "30");
        String run = daemon.api().post("/v2/acts/" + actor + "/runs?memory=256").expect(201).data().get("id").asText();
        JsonNode items = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode data = daemon.api().get("/v2/actord/runs/" + run + "/samples").expect(200).data();
            assertEquals(run, data.get("runId").asText());
            items = data.get("items");
            if (items.size() >= 2) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(items.size() >= 2, "samples: " + items);
        assertEquals(64L << 20, items.get(0).get("memCurrentBytes").asLong());
        assertTrue(items.get(0).get("createdAt").asText().compareTo(items.get(1).get("createdAt").asText()) <= 0);
        assertTrue(items.get(0).has("cpuCurrentUsage"));
    }

    @Test
    void shouldAnswer404ForAnUnknownRunAndForARunTheCallerMayNotRead() throws Exception {
        daemon.api().get("/v2/actord/runs/NoSuchRun/samples").expect(404);
        String actor = daemon.actor("sleeper", "sleep", "30");
        String run = daemon.api().post("/v2/acts/" + actor + "/runs?memory=128").expect(201).data().get("id").asText();
        daemon.user("someone").get("/v2/actord/runs/" + run + "/samples").expect(404);
        daemon.api().get("/v2/actord/runs/" + run + "/samples").expect(200);
    }
}
