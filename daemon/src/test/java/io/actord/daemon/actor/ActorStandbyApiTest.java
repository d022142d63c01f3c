package io.actord.daemon.actor;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An actor's {@code actorStandby} through the API, standby runs' environment, and {@code isContainerServerReady}
 * (with the fake runtime, whose containers share the daemon's network namespace: a run's server is a
 * {@link TestWebServer} on host loopback).
 */
class ActorStandbyApiTest {
    @StartDaemon.Runtime
    private FakeRuntime runtime;
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldKeepStandbyOptionsWithDefaultsForWhatIsLeftOut() {
        JsonNode plain = api().post("/v2/acts", "{\"name\":\"plain\"}").expect(201).data();
        assertTrue(plain.get("actorStandby").isNull(), "none until set");
        assertTrue(plain.get("standbyUrl").isNull());

        JsonNode created = api().post("/v2/acts", "{\"name\":\"srv\",\"actorStandby\":{\"isEnabled\":true,"
                + "\"maxRequestsPerActorRun\":10,\"tenancy\":\"SINGLE_TENANT\",\"isConsoleAuthEnabled\":false,"
                + "\"someFutureField\":1}}").expect(201).data();
        JsonNode s = created.get("actorStandby");
        assertTrue(s.get("isEnabled").asBoolean());
        assertEquals(3, s.get("desiredRequestsPerActorRun").asInt());
        assertEquals(10, s.get("maxRequestsPerActorRun").asInt());
        assertEquals(300, s.get("idleTimeoutSecs").asInt());
        assertEquals("latest", s.get("build").asText());
        assertEquals(1024, s.get("memoryMbytes").asInt());
        assertEquals("SINGLE_TENANT", s.get("tenancy").asText());
        assertFalse(s.get("isConsoleAuthEnabled").asBoolean());
        assertEquals(api().base().resolve("/standby/local--srv/").toString(), created.get("standbyUrl").asText());
        assertEquals(created, api().get("/v2/acts/" + created.get("id").asText()).expect(200).data());
    }

    @Test
    void shouldUpdateOnlyTheFieldsAPutSends() {
        String id = api().post("/v2/acts", "{\"name\":\"srv\",\"actorStandby\":{\"isEnabled\":true,"
                + "\"desiredRequestsPerActorRun\":2,\"maxRequestsPerActorRun\":8,\"memoryMbytes\":256}}")
                .expect(201).data().get("id").asText();
        JsonNode s = api().put("/v2/acts/" + id, "{\"actorStandby\":{\"idleTimeoutSecs\":5}}").expect(200).data()
                .get("actorStandby");
        assertEquals(5, s.get("idleTimeoutSecs").asInt());
        assertEquals(2, s.get("desiredRequestsPerActorRun").asInt());
        assertEquals(8, s.get("maxRequestsPerActorRun").asInt());
        assertEquals(256, s.get("memoryMbytes").asInt());
        assertTrue(s.get("isEnabled").asBoolean());
        JsonNode titled = api().put("/v2/acts/" + id, "{\"title\":\"T\"}").expect(200).data();
        assertEquals(s, titled.get("actorStandby"), "a PUT without actorStandby keeps it");
        JsonNode off = api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":false}}").expect(200).data();
        assertFalse(off.get("actorStandby").get("isEnabled").asBoolean());
        assertTrue(off.get("standbyUrl").isNull());
        assertEquals(5, off.get("actorStandby").get("idleTimeoutSecs").asInt());
    }

    @Test
    void shouldRefuseBrokenOptionsNamingTheFieldAndChangeNothing() {
        String id = api().post("/v2/acts", "{\"name\":\"srv\"}").expect(201).data().get("id").asText();
        Map<String, String> broken = Map.of(
                "{\"desiredRequestsPerActorRun\":0}", "desiredRequestsPerActorRun",
                "{\"desiredRequestsPerActorRun\":5,\"maxRequestsPerActorRun\":4}", "maxRequestsPerActorRun",
                "{\"idleTimeoutSecs\":0}", "idleTimeoutSecs",
                "{\"memoryMbytes\":100}", "memoryMbytes",
                "{\"build\":\"no such/tag\"}", "build",
                "{\"tenancy\":\"whatever\"}", "tenancy");
        broken.forEach((body, field) -> {
            TestDaemon.Response r = api().put("/v2/acts/" + id, "{\"actorStandby\":" + body + "}").expect(400);
            assertEquals("invalid-value", r.errorType(), body);
            assertTrue(r.text().contains("actorStandby." + field), r.text());
            assertEquals("invalid-value", api().post("/v2/acts", "{\"name\":\"other\",\"actorStandby\":" + body + "}")
                    .expect(400).errorType(), body);
        });
        for (String body : List.of("1", "\"on\"", "[]", "{\"isEnabled\":\"maybe\"}", "{\"idleTimeoutSecs\":1e20}",
                "{\"memoryMbytes\":{}}", "{\"desiredRequestsPerActorRun\":-2147483649}")) {
            int status = api().put("/v2/acts/" + id, "{\"actorStandby\":" + body + "}").status();
            assertTrue(status == 400, body + " -> " + status);
        }
        assertTrue(api().get("/v2/acts/" + id).expect(200).data().get("actorStandby").isNull(), "nothing changed");
        assertEquals(1, api().get("/v2/acts").expect(200).data().get("total").asInt(), "nothing created");
    }

    @Test
    void shouldGiveOneLabelToOneStandbyActorOnly() {
        String first = api().post("/v2/acts", "{\"name\":\"Srv\",\"actorStandby\":{\"isEnabled\":true}}")
                .expect(201).data().get("id").asText();
        String other = api().post("/v2/acts", "{\"name\":\"srv\"}").expect(201).data().get("id").asText();
        TestDaemon.Response taken = api().put("/v2/acts/" + other, "{\"actorStandby\":{\"isEnabled\":true}}")
                .expect(400);
        assertTrue(taken.text().contains("local--srv"), taken.text());
        assertEquals("Srv", daemon.daemon().actors().findStandby("local--srv").orElseThrow().name());
        api().put("/v2/acts/" + first, "{\"actorStandby\":{\"isEnabled\":false}}").expect(200);
        assertTrue(daemon.daemon().actors().findStandby("local--srv").isEmpty(), "disabled: not found");
        api().put("/v2/acts/" + other, "{\"actorStandby\":{\"isEnabled\":true}}").expect(200);
        assertEquals(other, daemon.daemon().actors().findStandby("local--srv").orElseThrow().id(), "free again");
        api().put("/v2/acts/" + other, "{\"name\":\"renamed\"}").expect(200);
        assertTrue(daemon.daemon().actors().findStandby("local--srv").isEmpty(), "a rename moves the label");
        assertEquals(other, daemon.daemon().actors().findStandby("local--renamed").orElseThrow().id());
        api().delete("/v2/acts/" + other).expect(204);
        assertTrue(daemon.daemon().actors().findStandby("local--renamed").isEmpty(), "deleted with the actor");
    }

    @Test
    void shouldStartStandbyRunsWithOriginStandbyAndTheirPortAndUrl() throws Exception {
        String id = daemon.actor("srv", daemon.rootfs(), List.of("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", "8123"));
        api().put("/v2/acts/" + id, "{\"actorStandby\":{\"isEnabled\":true,\"memoryMbytes\":512}}").expect(200);
        Actor actor = daemon.daemon().actors().byId(id).orElseThrow();
        Run run = daemon.daemon().runs().start(actor, actor.userId(), StartRequest.standby(actor.standby()));
        JsonNode view = api().get("/v2/actor-runs/" + run.id()).expect(200).data();
        assertEquals("STANDBY", view.get("meta").get("origin").asText());
        assertEquals(512, view.get("options").get("memoryMbytes").asInt());
        assertEquals(0, view.get("options").get("timeoutSecs").asInt());
        Map<String, String> env = awaitContainer().spec().env();
        assertEquals("STANDBY", env.get("APIFY_META_ORIGIN"));
        assertEquals("8123", env.get("ACTOR_STANDBY_PORT"));
        assertEquals(api().base().resolve("/standby/local--srv/").toString(), env.get("ACTOR_STANDBY_URL"));
        api().post("/v2/actor-runs/" + run.id() + "/abort", "").expect(200);

        String plain = daemon.actor("batch", "exit", "0");
        api().post("/v2/acts/" + plain + "/runs?waitForFinish=10", "{}").expect(201);
        assertFalse(runtime.last().spec().env().containsKey("ACTOR_STANDBY_PORT"), "only standby runs");
        assertFalse(runtime.last().spec().env().containsKey("ACTOR_STANDBY_URL"));
    }

    @Test
    void shouldShowTheServerReadyOnceItsPortAcceptsForAnyRun() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        String silent = daemon.actor("silent", daemon.rootfs(), List.of("sleep", "300"),
                Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(closed)));
        String quiet = api().post("/v2/acts/" + silent + "/runs", "{}").expect(201).data().get("id").asText();
        try (TestWebServer web = new TestWebServer()) {
            String served = daemon.actor("served", daemon.rootfs(), List.of("sleep", "300"),
                    Map.of("ACTOR_WEB_SERVER_PORT", Integer.toString(web.port())));
            JsonNode run = api().post("/v2/acts/" + served + "/runs", "{}").expect(201).data();
            String runId = run.get("id").asText();
            for (int i = 0; i < 1000 && !api().get("/v2/actor-runs/" + runId).expect(200).data()
                    .get("isContainerServerReady").asBoolean(); i++) {
                Thread.sleep(10);
            }
            assertTrue(api().get("/v2/actor-runs/" + runId).expect(200).data().get("isContainerServerReady")
                    .asBoolean(), "its server accepts connections");
            assertFalse(api().get("/v2/actor-runs/" + quiet).expect(200).data().get("isContainerServerReady")
                    .asBoolean(), "nothing listens on its port");
            JsonNode done = api().post("/v2/actor-runs/" + runId + "/abort", "").expect(200).data();
            assertFalse(api().get("/v2/actor-runs/" + done.get("id").asText() + "?waitForFinish=10").expect(200).data()
                    .get("isContainerServerReady").asBoolean(), "a finished run's server is not ready");
        }
        api().post("/v2/actor-runs/" + quiet + "/abort", "").expect(200);
    }

    private TestDaemon.Api api() {
        return daemon.api();
    }

    private FakeRuntime.FakeContainer awaitContainer() throws InterruptedException {
        for (int i = 0; i < 500 && runtime.created().isEmpty(); i++) {
            Thread.sleep(10);
        }
        return runtime.last();
    }
}
