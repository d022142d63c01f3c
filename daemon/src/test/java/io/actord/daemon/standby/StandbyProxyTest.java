package io.actord.daemon.standby;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.HttpConnection;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Standby URLs through the proxy on the fake runtime: the runs share the daemon's network namespace and their
 * server is a {@link TestWebServer} on host loopback at the port the build's ACTOR_WEB_SERVER_PORT names (which
 * is ACTOR_STANDBY_PORT too). The same with real containers is {@link StandbyIT}.
 */
class StandbyProxyTest {
    private static final String DOMAIN = "standby.test";

    private TestWebServer web;
    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon(flags = {"--containers-domain", DOMAIN, "--standby-wait-secs", "5"})
    private TestDaemon daemon;
    private InetSocketAddress listener;

    @BeforeEach
    void start() {
        web = new TestWebServer();
        listener = daemon.daemon().tcpAddress().orElseThrow();
    }

    @AfterEach
    void stop() {
        web.close();
    }

    /** A standby actor served by {@link #web}; returns its standby URL. */
    private URI standbyActor(String name, int idleSecs) throws Exception {
        String id = daemon.actor(name, daemon.rootfs(), List.of("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
        JsonNode actor = daemon.api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,"
                + "\"idleTimeoutSecs\":" + idleSecs + ",\"memoryMbytes\":128}}").expect(200).data();
        return URI.create(actor.get("standbyUrl").asText());
    }

    private String host(URI url) {
        return url.getHost() + ":" + listener.getPort();
    }

    private List<JsonNode> runs(String actor) {
        List<JsonNode> runs = new java.util.ArrayList<>();
        daemon.api().get("/v2/acts/local~" + actor + "/runs").expect(200).data().get("items").forEach(runs::add);
        return runs;
    }

    @Test
    void shouldStartARunAndRelayToItWithoutThePlatformsToken() throws Exception {
        URI url = standbyActor("headers", 300);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response byQuery = c.get(host(url), "/headers?a=1&token=" + daemon.token() + "&b=2");
            HttpConnection.Response byHeader = c.send("GET /headers HTTP/1.1\r\nHost: " + host(url)
                    + "\r\nAuthorization: Bearer " + daemon.token() + "\r\n\r\n").read();

            assertEquals(200, byQuery.status(), byQuery.text());
            assertTrue(byQuery.text().startsWith("GET /headers?a=1&b=2\n"), byQuery.text());
            assertEquals(200, byHeader.status(), byHeader.text());
            assertFalse(byHeader.text().toLowerCase().contains("authorization"), byHeader.text());
            assertFalse(byHeader.text().contains(daemon.token()), byHeader.text());
        }
        List<JsonNode> runs = runs("headers");
        assertEquals(1, runs.size(), "the second request went to the run the first started");
        assertEquals("STANDBY", runtime.last().spec().env().get("APIFY_META_ORIGIN"));
    }

    @Test
    void shouldHoldARequestBodyWhileTheRunStarts() throws Exception {
        URI url = standbyActor("echo", 300);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response echo = c.send("POST /echo HTTP/1.1\r\nHost: " + host(url) + "\r\nAuthorization: "
                    + "Bearer " + daemon.token() + "\r\nContent-Length: 11\r\n\r\nhello there").read();
            assertEquals(200, echo.status(), echo.text());
            assertEquals("hello there", echo.text());
        }
    }

    @Test
    void shouldRefuseWithoutATokenAnotherUsersTokenAndAnUnknownActorAndSendThePathFormToTheHostForm() throws Exception {
        URI url = standbyActor("guarded", 300);
        String otherUsers = daemon.user("other").token().orElseThrow();
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            HttpConnection.Response forbidden = c.get(host(url), "/?token=" + otherUsers);
            HttpConnection.Response none = c.get(host(url), "/");
            HttpConnection.Response bad = c.get(host(url), "/?token=nosuchtoken");
            HttpConnection.Response unknown = c.get("local--nobody." + DOMAIN + ":" + listener.getPort(), "/");
            HttpConnection.Response byPath = c.get("127.0.0.1:" + listener.getPort(), "/standby/local--guarded/x?y=1");

            assertEquals(401, none.status(), none.text());
            assertTrue(none.text().contains("Authorization: Bearer"), none.text());
            assertEquals(401, bad.status(), bad.text());
            assertEquals(403, forbidden.status(), forbidden.text());
            assertEquals(404, unknown.status(), unknown.text());
            assertEquals(308, byPath.status(), byPath.text());
            assertEquals(url + "x?y=1", byPath.header("location"));
        }
        assertEquals(0, runs("guarded").size(), "no run starts for a refused request");
    }

    @Test
    void shouldStopARunIdleForItsTimeoutAsSucceeded() throws Exception {
        URI url = standbyActor("idle", 1);
        try (HttpConnection c = HttpConnection.tcp(listener)) {
            assertEquals(200, c.get(host(url), "/?token=" + daemon.token()).status());
        }
        String runId = runs("idle").get(0).get("id").asText();
        JsonNode end = daemon.api().get("/v2/actor-runs/" + runId + "?waitForFinish=20").expect(200).data();
        assertEquals("SUCCEEDED", end.get("status").asText(), end.toString());
        assertTrue(end.get("statusMessage").asText().contains("idle"), end.toString());
    }
}
