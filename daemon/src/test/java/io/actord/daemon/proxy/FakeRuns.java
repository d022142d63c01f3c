package io.actord.daemon.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.TestDaemon;

import java.util.List;
import java.util.Map;

/** Runs on the fake runtime whose "server" is a test server on host loopback. */
final class FakeRuns {
    private FakeRuns() {
    }

    /** A running run whose server is at {@code port} (its build's ACTOR_WEB_SERVER_PORT). */
    static JsonNode servingOn(TestDaemon daemon, int port) throws Exception {
        String actor = daemon.actor("web-" + port + "-" + System.nanoTime(), daemon.rootfs(), List.of("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(port)));
        String id = daemon.api().post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        for (int i = 0; i < 500; i++) {
            JsonNode run = daemon.api().get("/v2/actor-runs/" + id).expect(200).data();
            if (run.get("status").asText().equals("RUNNING")) {
                return run;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("run " + id + " did not start");
    }
}
