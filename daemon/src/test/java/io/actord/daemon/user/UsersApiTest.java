package io.actord.daemon.user;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The users and tokens admin API (Unix socket only), /v2/users/me, and runs started from inside a run. */
class UsersApiTest {
    @StartDaemon.Runtime
    FakeRuntime runtime;
    @StartDaemon
    TestDaemon daemon;

    @Test
    void shouldCreateAUserAndATokenShownOnlyOnce() throws Exception {
        JsonNode user = daemon.admin("/v2/actord/users", "{\"username\":\"ann\",\"memoryLimitMbytes\":2048}")
                .expect(201).data();
        assertEquals("ann", user.get("username").asText());
        assertEquals(2048, user.get("memoryLimitMbytes").asInt());
        assertFalse(user.get("memoryLimitIsDefault").asBoolean());
        JsonNode token = daemon.admin("/v2/actord/users/ann/tokens", "{\"name\":\"laptop\"}").expect(201).data();
        String secret = token.get("token").asText();
        assertTrue(secret.startsWith("apify_api_"), secret);
        JsonNode listed = daemon.admin("GET", "/v2/actord/users/ann/tokens", null).expect(200).data().get("items");
        assertEquals(1, listed.size());
        assertEquals("laptop", listed.get(0).get("name").asText());
        assertTrue(listed.get(0).get("token").isNull(), "the secret is not shown again");
        assertFalse(daemon.admin("GET", "/v2/actord/users/ann/tokens", null).text().contains(secret.substring(14)));

        Api ann = new Api(daemon.api().base(), Optional.of(secret));
        JsonNode me = ann.get("/v2/users/me").expect(200).data();
        assertEquals(user.get("id").asText(), me.get("id").asText());
        assertEquals("ann", me.get("username").asText());
        assertEquals(2.0, ann.get("/v2/users/me/limits").expect(200).data().get("limits").get("maxActorMemoryGbytes")
                .asDouble());
        assertEquals("local", daemon.api().get("/v2/users/me").expect(200).data().get("username").asText());
        assertEquals("token-not-provided", daemon.anonymous().get("/v2/users/me").expect(401).errorType());
    }

    @Test
    void shouldServeTheAdminApiOnlyOnTheUnixSocket() throws Exception {
        assertEquals("insufficient-permissions", daemon.api().post("/v2/actord/users", "{\"username\":\"eve\"}")
                .expect(403).errorType());
        assertEquals("insufficient-permissions", daemon.api().get("/v2/actord/users").expect(403).errorType());
        assertEquals("insufficient-permissions", daemon.api().post("/v2/actord/users/local/tokens", "{}")
                .expect(403).errorType());
        assertEquals("token-not-provided", daemon.anonymous().post("/v2/actord/users", "{\"username\":\"eve\"}")
                .expect(401).errorType());
        assertEquals(1, daemon.admin("GET", "/v2/actord/users", null).data().get("total").asInt(), "no eve");
    }

    @Test
    void shouldStopADeletedUsersTokenAtOnceAndRevokeSingleTokens() throws Exception {
        daemon.admin("/v2/actord/users", "{\"username\":\"ann\"}").expect(201);
        JsonNode first = daemon.admin("/v2/actord/users/ann/tokens", "").expect(201).data();
        JsonNode second = daemon.admin("/v2/actord/users/ann/tokens", "").expect(201).data();
        Api one = new Api(daemon.api().base(), Optional.of(first.get("token").asText()));
        Api two = new Api(daemon.api().base(), Optional.of(second.get("token").asText()));
        one.get("/v2/actor-runs").expect(200);
        daemon.admin("DELETE", "/v2/actord/users/ann/tokens/" + first.get("id").asText(), null).expect(204);
        assertEquals("invalid-token", one.get("/v2/actor-runs").expect(401).errorType());
        two.get("/v2/actor-runs").expect(200);
        assertEquals(404, daemon.admin("DELETE", "/v2/actord/users/ann/tokens/" + first.get("id").asText(), null)
                .status());
        daemon.admin("DELETE", "/v2/actord/users/ann", null).expect(204);
        assertEquals("invalid-token", two.get("/v2/actor-runs").expect(401).errorType());
        assertEquals(404, daemon.admin("GET", "/v2/actord/users/ann", null).status());
    }

    @Test
    void shouldRefuseToDeleteAUserWithRunsOrTheLocalAccount() throws Exception {
        Api ann = daemon.user("ann");
        String actor = daemon.actor(ann, "sleeper", "sleep", "30");
        String run = ann.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        assertEquals("run-state-conflict", daemon.admin("DELETE", "/v2/actord/users/ann", null).expect(400)
                .errorType());
        ann.post("/v2/actor-runs/" + run + "/abort").expect(200);
        ann.get("/v2/actor-runs/" + run + "?waitForFinish=5").expect(200);
        assertEquals("invalid-value", daemon.admin("DELETE", "/v2/actord/users/local", null).expect(400)
                .errorType());
    }

    /** The attack: "users delete bob; users create bob" gave the new bob the old bob's actors and names. */
    @Test
    void shouldGiveANewUserWithADeletedUsersNameNoneOfTheirActors() throws Exception {
        Api old = daemon.user("bob");
        String oldActor = daemon.actor(old, "srv", "sleep", "30");
        daemon.admin("DELETE", "/v2/actord/users/bob", null).expect(204);
        Api bob = daemon.user("bob");

        assertEquals(0, bob.get("/v2/acts").expect(200).data().get("total").asInt());
        assertEquals(404, bob.get("/v2/acts/bob~srv").status());
        assertEquals(404, bob.get("/v2/acts/srv").status());
        assertEquals(404, bob.get("/v2/acts/" + oldActor).status());
        String created = bob.post("/v2/acts", "{\"name\":\"srv\"}").expect(201).data().get("id").asText();
        assertEquals(created, bob.get("/v2/acts/bob~srv").expect(200).data().get("id").asText());
        assertEquals(1, bob.get("/v2/acts").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldRunAChildStartedFromInsideARunAsTheSameUser() throws Exception {
        Api ann = daemon.user("ann");
        String parentActor = daemon.actor(ann, "parent", "sleep", "30");
        String childActor = daemon.actor(ann, "child", "sleep", "30");
        JsonNode parent = ann.post("/v2/acts/" + parentActor + "/runs?memory=1024", "").expect(201).data();
        String parentId = parent.get("id").asText();
        runtime.awaitCreated(1, Duration.ofSeconds(5));
        String runToken = runtime.last().spec().env().get("APIFY_TOKEN");
        Api inside = new Api(URI.create("http://127.0.0.1:" + daemon.daemon().endpoints().address(parentId)
                .orElseThrow().getPort()), Optional.of(runToken));
        JsonNode child = inside.post("/v2/acts/ann~child/runs?memory=2048", "").expect(201).data();
        assertEquals(parent.get("userId").asText(), child.get("userId").asText(), "the caller's user");
        assertEquals(child.get("id").asText(), ann.get("/v2/actor-runs/" + child.get("id").asText()).expect(200)
                .data().get("id").asText(), "ann sees the child as hers");
        assertEquals("ACTOR", child.get("meta").get("origin").asText());
        assertEquals(childActor, child.get("actId").asText());
        assertEquals(3.0, ann.get("/v2/users/me/limits").data().get("current").get("actorMemoryGbytes").asDouble(),
                "both runs count toward ann's memory");
        assertEquals("record-not-found", inside.get("/v2/acts/local~" + "nothing").expect(404).errorType());
    }
}
