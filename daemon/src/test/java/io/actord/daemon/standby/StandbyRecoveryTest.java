package io.actord.daemon.standby;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A daemon restart leaves standby runs running (they are ordinary runs); the next daemon's pools adopt them. */
class StandbyRecoveryTest {
    private static final List<String> FLAGS = List.of("--containers-domain", "standby.test");

    @TempDir
    Path dir;

    private final FakeRuntime runtime = new FakeRuntime();

    @Test
    void shouldServeFromTheStandbyRunThePreviousDaemonStarted() throws Exception {
        try (TestWebServer web = new TestWebServer()) {
            String runId;
            try (TestDaemon first = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), FLAGS)
                    .keepRunsOnClose()) {
                String id = first.actor("kept", first.rootfs(), List.of("sleep", "300"),
                        Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
                first.api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,\"memoryMbytes\":128}}")
                        .expect(200);
                assertEquals(200, request(first).status());
                runId = runs(first).get(0).get("id").asText();
            }
            try (TestDaemon second = TestDaemon.start(dir, runtime.surviving(), Duration.ofSeconds(1), FLAGS)) {
                HttpConnection.Response r = request(second);
                assertEquals(200, r.status(), r.text());
                List<JsonNode> runs = runs(second);
                assertEquals(1, runs.size(), "no new run: the adopted one served");
                assertEquals(runId, runs.get(0).get("id").asText());
            }
        }
    }

    private static HttpConnection.Response request(TestDaemon daemon) throws Exception {
        InetSocketAddress listener = daemon.daemon().tcpAddress().orElseThrow();
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            return c.get("local--kept.standby.test:" + listener.getPort(), "/?token=" + daemon.token());
        }
    }

    private static List<JsonNode> runs(TestDaemon daemon) {
        List<JsonNode> runs = new java.util.ArrayList<>();
        daemon.api().get("/v2/acts/local~kept/runs").expect(200).data().get("items").forEach(runs::add);
        return runs;
    }
}
