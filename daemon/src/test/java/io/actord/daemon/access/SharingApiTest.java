package io.actord.daemon.access;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two users over TCP: what one may do with the other's runs and storages, unshared and shared. */
class SharingApiTest {
    @StartDaemon
    TestDaemon daemon;
    Api ann;
    Api bob;
    String run;
    JsonNode started;

    @BeforeEach
    void start() throws Exception {
        ann = daemon.user("ann");
        bob = daemon.user("bob");
        String actor = daemon.actor(ann, "anns-actor", "sleep", "30");
        started = ann.post("/v2/acts/" + actor + "/runs", "{\"secret\":1}").expect(201).data();
        run = started.get("id").asText();
        ann.post("/v2/actor-runs/" + run + "/dataset/items", "[{\"a\":1}]").expect(201);
    }

    @Test
    void shouldHideAnUnsharedRunAndItsLogAndStoragesFromAnotherUser() {
        for (String path : reads()) {
            assertEquals("record-not-found", bob.get(path).expect(404).errorType(), path);
        }
        assertEquals("record-not-found", bob.post("/v2/actor-runs/" + run + "/abort").expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/actor-runs/" + run + "/resurrect").expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/datasets/" + started.get("defaultDatasetId").asText()
                + "/items", "[{\"b\":1}]").expect(404).errorType());
        assertEquals(0, bob.get("/v2/actor-runs").expect(200).data().get("total").asInt());
        assertEquals("RUNNING", ann.get("/v2/actor-runs/" + run).expect(200).data().get("status").asText());
        assertEquals("Actor run '" + run + "' was not found", bob.get("/v2/actor-runs/" + run).json()
                .get("error").get("message").asText(), "the same words as for a run that does not exist");
    }

    @Test
    void shouldLetAReadGrantReadButNotAbortOrWrite() {
        share("bob", "READ").expect(200);
        for (String path : reads()) {
            assertEquals(200, bob.get(path).status(), path);
        }
        assertEquals("[{\"a\":1}]", bob.get("/v2/actor-runs/" + run + "/dataset/items").text());
        assertEquals("insufficient-permissions", bob.post("/v2/actor-runs/" + run + "/abort").expect(403).errorType());
        assertEquals("insufficient-permissions", bob.post("/v2/actor-runs/" + run + "/dataset/items", "[{\"b\":1}]")
                .expect(403).errorType());
        assertEquals("insufficient-permissions", bob.put("/v2/actord/actor-runs/" + run + "/sharing/users/bob",
                "{\"access\":\"WRITE\"}").expect(403).errorType(), "a reader cannot raise their own grant");
        assertEquals("insufficient-permissions", bob.delete("/v2/datasets/" + started.get("defaultDatasetId")
                .asText()).expect(403).errorType());
        assertEquals("RUNNING", ann.get("/v2/actor-runs/" + run).data().get("status").asText());
    }

    @Test
    void shouldLetAWriteGrantAbort() {
        share("bob", "WRITE").expect(200);
        bob.post("/v2/actor-runs/" + run + "/dataset/items", "[{\"b\":1}]").expect(201);
        assertEquals("ABORTED", bob.post("/v2/actor-runs/" + run + "/abort").expect(200).data().get("status").asText());
        assertEquals("insufficient-permissions", bob.put("/v2/actor-runs/" + run,
                "{\"generalAccess\":\"ANYONE_WITH_ID_CAN_READ\"}").expect(403).errorType(), "only the owner shares");
    }

    /**
     * The attack: with WRITE on ann's run, bob metamorphs it into his own actor, whose container would get
     * ann's token (and so be ann). Metamorph, and a resurrect that changes what or how much runs, are the
     * owner's alone; the grant still aborts, resurrects as it was and writes.
     */
    @Test
    void shouldKeepMetamorphAndChangedResurrectsToTheOwner() throws Exception {
        String bobs = daemon.actor(bob, "prints-token", "sh", "-c", "echo $APIFY_TOKEN");
        share("bob", "WRITE").expect(200);
        assertEquals("insufficient-permissions", bob.post("/v2/actor-runs/" + run + "/metamorph?targetActorId="
                + bobs, "{}").expect(403).errorType());
        JsonNode after = ann.get("/v2/actor-runs/" + run).expect(200).data();
        assertEquals("RUNNING", after.get("status").asText());
        assertEquals(started.get("actId").asText(), after.get("actId").asText());
        assertEquals(0, after.path("metamorphs").size(), "nothing was metamorphed");

        bob.post("/v2/actor-runs/" + run + "/abort").expect(200);
        for (String option : List.of("build=latest", "memory=256", "timeout=5")) {
            assertEquals("insufficient-permissions", bob.post("/v2/actor-runs/" + run + "/resurrect?" + option)
                    .expect(403).errorType(), option);
        }
        assertEquals("RUNNING", bob.post("/v2/actor-runs/" + run + "/resurrect").expect(200).data().get("status")
                .asText(), "a resurrect as it was is the grant's");
        assertEquals("RUNNING", ann.post("/v2/actor-runs/" + run + "/metamorph?targetActorId=" + started.get("actId")
                .asText(), "{}").expect(200).data().get("status").asText(), "the owner still metamorphs");
    }

    @Test
    void shouldShowAndTakeBackGrants() {
        JsonNode sharing = share("bob", "READ").expect(200).data();
        assertEquals("bob", sharing.get("users").get(0).get("username").asText());
        assertEquals("READ", sharing.get("users").get(0).get("access").asText());
        ann.delete("/v2/actord/actor-runs/" + run + "/sharing/users/bob").expect(200);
        assertEquals(404, bob.get("/v2/actor-runs/" + run).status());
        assertEquals("invalid-value", share("bob", "OWN").expect(400).errorType());
        assertEquals("record-not-found", share("nobody-such", "READ").expect(404).errorType());
    }

    @Test
    void shouldLetAnyoneWithTheIdReadARunSharedSo() {
        JsonNode updated = ann.put("/v2/actor-runs/" + run, "{\"generalAccess\":\"ANYONE_WITH_ID_CAN_READ\"}")
                .expect(200).data();
        assertEquals("ANYONE_WITH_ID_CAN_READ", updated.get("generalAccess").asText());
        Api anonymous = daemon.anonymous();
        for (String path : reads()) {
            assertEquals(200, anonymous.get(path).status(), path);
            assertEquals(200, bob.get(path).status(), path);
        }
        assertEquals("token-not-provided", anonymous.post("/v2/actor-runs/" + run + "/abort").expect(401).errorType());
        assertEquals("insufficient-permissions", bob.post("/v2/actor-runs/" + run + "/abort").expect(403).errorType());
        assertEquals("token-not-provided", anonymous.get("/v2/actor-runs").expect(401).errorType());
        assertEquals("invalid-value", ann.put("/v2/actor-runs/" + run, "{\"generalAccess\":\"EVERYONE\"}")
                .expect(400).errorType());
    }

    @Test
    void shouldKeepActorsAndNamedStoragesToTheirOwners() {
        String actor = started.get("actId").asText();
        assertEquals("record-not-found", bob.get("/v2/acts/" + actor).expect(404).errorType());
        assertEquals("record-not-found", bob.get("/v2/acts/ann~anns-actor").expect(404).errorType());
        assertEquals("record-not-found", bob.post("/v2/acts/" + actor + "/runs", "").expect(404).errorType());
        assertEquals(0, bob.get("/v2/acts").data().get("total").asInt());
        String named = ann.post("/v2/datasets?name=anns-data", "").expect(201).data().get("id").asText();
        assertEquals("record-not-found", bob.get("/v2/datasets/" + named).expect(404).errorType());
        assertTrue(bob.post("/v2/datasets?name=anns-data", "").expect(201).data().get("id").asText().length() > 0,
                "names are per user");
        assertFalse(bob.get("/v2/datasets?unnamed=1").text().contains(named));
    }

    @Test
    void shouldLetTheAdminSeeAndAbortEveryRun() throws Exception {
        assertEquals(200, daemon.admin("GET", "/v2/actor-runs/" + run, null).status());
        assertEquals("ABORTED", daemon.admin("POST", "/v2/actor-runs/" + run + "/abort", null).data().get("status")
                .asText());
    }

    private TestDaemon.Response share(String user, String level) {
        return ann.put("/v2/actord/actor-runs/" + run + "/sharing/users/" + user, "{\"access\":\"" + level + "\"}");
    }

    private List<String> reads() {
        return List.of("/v2/actor-runs/" + run, "/v2/actor-runs/" + run + "/log", "/v2/logs/" + run,
                "/v2/actor-runs/" + run + "/dataset/items", "/v2/datasets/" + started.get("defaultDatasetId").asText(),
                "/v2/key-value-stores/" + started.get("defaultKeyValueStoreId").asText() + "/records/INPUT",
                "/v2/actor-runs/" + run + "/key-value-store/records/INPUT",
                "/v2/request-queues/" + started.get("defaultRequestQueueId").asText());
    }
}
