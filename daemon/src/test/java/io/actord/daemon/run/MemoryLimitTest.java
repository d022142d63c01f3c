package io.actord.daemon.run;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A user's memory limit: the runs that have not finished, together, with Apify's 402 and figures past it. */
class MemoryLimitTest {
    @StartDaemon(flags = {"--user-memory-limit-mb", "1024"})
    TestDaemon daemon;
    Api ann;
    String sleeper;

    @BeforeEach
    void start() throws Exception {
        ann = daemon.user("ann");
        sleeper = daemon.actor(ann, "sleeper", "sleep", "30");
    }

    @Test
    void shouldRefusePastTheLimitWithApifysMessageAndTakeTheNextRunWhenOneEnds() {
        String first = start(512).expect(201).data().get("id").asText();
        start(512).expect(201);
        TestDaemon.Response refused = start(256).expect(402);
        assertEquals("actor-memory-limit-exceeded", refused.errorType());
        assertEquals("By launching this job you will exceed the memory limit of 1024MB for all your Actor runs and"
                + " builds (currently used: 1024MB, requested: 256MB).", refused.json().get("error").get("message")
                .asText());
        assertEquals(2, ann.get("/v2/actor-runs").data().get("total").asInt(), "the refused run was not made");
        ann.post("/v2/actor-runs/" + first + "/abort").expect(200);
        start(512).expect(201);
        assertEquals(402, start(128).status());
    }

    @Test
    void shouldCountEachUserApart() {
        start(1024).expect(201);
        Api bob = daemon.user("bob");
        assertEquals(201, daemon.api().post("/v2/acts/" + localActor() + "/runs?memory=1024", "").status(),
                "another user's runs do not count against ann's limit");
        assertEquals(402, start(128).status());
        assertEquals(0, bob.get("/v2/actor-runs").data().get("total").asInt());
    }

    @Test
    void shouldCountAResurrectionAndRefuseItPastTheLimit() throws Exception {
        JsonNode done = ann.post("/v2/acts/" + daemon.actor(ann, "quick", "exit", "0") + "/runs?memory=512"
                + "&waitForFinish=10", "").expect(201).data();
        assertEquals("SUCCEEDED", done.get("status").asText());
        start(1024).expect(201);
        TestDaemon.Response refused = ann.post("/v2/actor-runs/" + done.get("id").asText() + "/resurrect");
        assertEquals("actor-memory-limit-exceeded", refused.expect(402).errorType());
        assertEquals("SUCCEEDED", ann.get("/v2/actor-runs/" + done.get("id").asText()).data().get("status").asText());
    }

    @Test
    void shouldTakeAUsersOwnLimitOverTheDefault() throws Exception {
        daemon.admin("PUT", "/v2/actord/users/ann", "{\"memoryLimitMbytes\":4096}").expect(200);
        start(4096).expect(201);
        assertEquals(402, start(128).status());
    }

    private TestDaemon.Response start(int memory) {
        return ann.post("/v2/acts/" + sleeper + "/runs?memory=" + memory, "");
    }

    private String localActor() {
        try {
            return daemon.actor("local-sleeper", "sleep", "30");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
