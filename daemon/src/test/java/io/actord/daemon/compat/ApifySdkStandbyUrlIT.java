package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.NodeScripts;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The published SDK's standby mode behind the actor's standby URL (src/test/node/standby-actor.mjs, as in
 * {@link ApifySdkStandbyIT}, which reaches the run by its container URL): the first request starts the standby
 * run and is answered by the SDK's server once it listens, without the platform's token; after the idle timeout
 * the run is stopped (the aborting event, then SIGTERM's grace) and ends SUCCEEDED. Needs root; skips, printing
 * why, without it or the npm packages.
 */
@ApifyCompat
@Tag("privileged")
class ApifySdkStandbyUrlIT {
    @TempDir
    Path dir;
    private SdkContainers containers;
    private TestDaemon daemon;

    @BeforeAll
    static void requirements() {
        SdkContainers.requirements("ApifySdkStandbyUrlIT");
    }

    @AfterEach
    void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (containers != null) {
            containers.release();
        }
    }

    @Test
    void shouldStartTheSdksStandbyServerOnTheFirstRequestAndStopItWhenIdle() throws Exception {
        containers = SdkContainers.open(dir, "actord-sdk-standby-url-it");
        daemon = containers.start(dir, Duration.ofSeconds(5), List.of("--standby-wait-secs", "120"));
        String id = daemon.actor("sdk-standby-url", NodeScripts.ROOTFS, List.of("/usr/bin/node",
                "/app/standby-actor.mjs"));
        // One core (4096 MB), so the shared test host starts node in reasonable time.
        daemon.api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,\"memoryMbytes\":4096,"
                + "\"idleTimeoutSecs\":2}}").expect(200);
        InetSocketAddress listener = daemon.daemon().tcpAddress().orElseThrow();

        JsonNode env;
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            long t0 = System.nanoTime();
            HttpConnection.Response answer = c.get("127.0.0.1:" + listener.getPort(),
                    "/standby/local--sdk-standby-url/hello?x=1&token=" + daemon.token());
            System.out.println("ApifySdkStandbyUrlIT: first request through the standby URL answered after "
                    + Duration.ofNanos(System.nanoTime() - t0).toMillis() + " ms (the SDK actor's cold start)");
            assertEquals(200, answer.status(), answer.text());
            env = Json.MAPPER.readTree(answer.body());
        }
        assertEquals("STANDBY", env.get("metaOrigin").asText(), env.toString());
        assertEquals("/hello?x=1", env.get("url").asText(), "the token is not passed on");
        List<JsonNode> runs = new ArrayList<>();
        daemon.api().get("/v2/acts/" + id + "/runs").expect(200).data().get("items").forEach(runs::add);
        assertEquals(1, runs.size());
        assertEquals(env.get("runId").asText(), runs.get(0).get("id").asText());

        JsonNode ended = daemon.api().get("/v2/actor-runs/" + env.get("runId").asText() + "?waitForFinish=60")
                .expect(200).data();
        assertEquals("SUCCEEDED", ended.get("status").asText(), ended.toString());
        assertTrue(ended.get("statusMessage").asText().contains("idle timeout"), ended.toString());
    }
}
