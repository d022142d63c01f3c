package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The runs a schedule started, as the API shows them (their {@code meta.scheduleId}). */
public final class ScheduledRuns {
    private ScheduledRuns() {
    }

    /** The ids of the local account's runs that {@code scheduleId} started. */
    public static List<String> of(TestDaemon d, String scheduleId) {
        List<String> ids = new ArrayList<>();
        for (JsonNode item : d.api().get("/v2/actor-runs?limit=100").expect(200).data().get("items")) {
            JsonNode run = d.api().get("/v2/actor-runs/" + item.get("id").asText()).expect(200).data();
            if (scheduleId.equals(run.path("meta").path("scheduleId").asText())) {
                ids.add(run.get("id").asText());
            }
        }
        return ids;
    }

    /** As {@link #of}, once there are {@code n} of them or 20 s have passed. */
    public static List<String> await(TestDaemon d, String scheduleId, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        List<String> runs = of(d, scheduleId);
        while (runs.size() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
            runs = of(d, scheduleId);
        }
        return runs;
    }
}
