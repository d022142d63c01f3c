package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.common.Json;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.StartRequest;
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
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An actor written with the published apify SDK in its standby mode ({@code Actor.config.get('metaOrigin') ===
 * 'STANDBY'}, src/test/node/standby-actor.mjs, unmodified SDK), in a real isolated container. Started as a standby
 * run it serves HTTP on the standby port, the Run object's {@code isContainerServerReady} turns true, and its answer
 * through the run's container URL shows what the SDK read. Behind the actor's standby URL, the first request starts
 * the standby run and is answered once the SDK's server listens, without the platform's token; after the idle
 * timeout the run is stopped (the aborting event, then SIGTERM's grace) and ends SUCCEEDED. Needs root; skips,
 * printing why, without it or the npm packages.
 */
@ApifyCompat
@Tag("privileged")
class ApifySdkStandbyIT {
    @TempDir
    Path dir;
    private SdkContainers containers;
    private TestDaemon daemon;

    @BeforeAll
    static void requirements() {
        SdkContainers.requirements("ApifySdkStandbyIT");
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
    void shouldServeFromAnSdkActorInStandbyModeThatReadsItsEnvironment() throws Exception {
        containers = SdkContainers.open(dir, "actord-sdk-standby-it");
        daemon = containers.start(dir, Duration.ofSeconds(5), List.of());
        String id = daemon.actor("sdk-standby", NodeScripts.ROOTFS, List.of("/usr/bin/node", "/app/standby-actor.mjs"));
        // One core (4096 MB), so the shared test host starts node in reasonable time.
        daemon.api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,\"memoryMbytes\":4096}}")
                .expect(200);
        Actor actor = daemon.daemon().actors().byId(id).orElseThrow();

        long started = System.nanoTime();
        Run run = daemon.daemon().runs().start(actor, actor.userId(), StartRequest.standby(actor.standby()));
        JsonNode ready = awaitServerReady(run.id(), Duration.ofMinutes(2));
        long coldStartMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        System.out.println("ApifySdkStandbyIT: standby run ready (isContainerServerReady) " + coldStartMillis
                + " ms after its start");

        assertEquals("RUNNING", ready.get("status").asText(), log(run.id()));
        assertEquals("STANDBY", ready.get("meta").get("origin").asText());
        InetSocketAddress listener = daemon.daemon().tcpAddress().orElseThrow();
        String containerUrl = ready.get("containerUrl").asText();
        String path = containerUrl.substring(containerUrl.indexOf("/containers/"));
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response answer = c.get("127.0.0.1:" + listener.getPort(), path + "hello?x=1");
            assertEquals(200, answer.status(), answer.text());
            JsonNode env = Json.MAPPER.readTree(answer.body());
            assertEquals("STANDBY", env.get("metaOrigin").asText(), env.toString());
            assertEquals("4321", env.get("standbyPort").asText(), "the web server's port");
            assertEquals(daemon.api().base().resolve("/standby/local--sdk-standby/").toString(),
                    env.get("standbyUrl").asText());
            assertEquals(run.id(), env.get("runId").asText());
            assertEquals(run.id(), env.get("sdkRunId").asText());
            assertEquals("/hello?x=1", env.get("url").asText());
        }

        JsonNode batch = daemon.api().post("/v2/acts/" + id + "/runs?waitForFinish=120&memory=4096", "{}")
                .expect(201).data();
        assertEquals("SUCCEEDED", batch.get("status").asText(), log(batch.get("id").asText()));
        assertEquals("not started in standby mode", batch.get("statusMessage").asText());

        daemon.api().post("/v2/actor-runs/" + run.id() + "/abort").expect(200);
        JsonNode ended = daemon.api().get("/v2/actor-runs/" + run.id() + "?waitForFinish=60").expect(200).data();
        assertEquals("ABORTED", ended.get("status").asText());
        assertFalse(ended.get("isContainerServerReady").asBoolean(), "a finished run's server is not ready");
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
            System.out.println("ApifySdkStandbyIT: first request through the standby URL answered after "
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

    private JsonNode awaitServerReady(String runId, Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        JsonNode run = daemon.api().get("/v2/actor-runs/" + runId).expect(200).data();
        while (!run.get("isContainerServerReady").asBoolean() && System.nanoTime() < deadline
                && !run.get("finishedAt").isTextual()) {
            Thread.sleep(20);
            run = daemon.api().get("/v2/actor-runs/" + runId).expect(200).data();
        }
        assertTrue(run.get("isContainerServerReady").asBoolean(), "the standby server never became ready: " + run
                + "\n" + log(runId));
        return run;
    }

    private String log(String runId) {
        return daemon.api().get("/v2/actor-runs/" + runId + "/log").text();
    }
}
