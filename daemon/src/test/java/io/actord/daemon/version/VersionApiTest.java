package io.actord.daemon.version;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.FakeDaemonApiTest;
import io.actord.daemon.testing.TestDaemon.Api;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Actor versions and their environment variables over the API, as apify-client's version clients call them. */
class VersionApiTest extends FakeDaemonApiTest {
    private static final String VERSION = """
            {"versionNumber":"0.0","sourceType":"SOURCE_FILES","buildTag":"beta",
             "sourceFiles":[{"name":"Dockerfile","format":"TEXT","content":"FROM base\\n"},
                            {"name":"src","folder":true},
                            {"name":"src/main.js","format":"BASE64","content":"Y29uc29sZS5sb2coMSk="}],
             "envVars":[{"name":"PLAIN","value":"visible"},{"name":"TOKEN","value":"s3cret","isSecret":true}]}""";

    @Test
    void shouldKeepVersionsWithTheirSourceAndShowNoSecret() throws Exception {
        String actor = daemon.actor("versioned", "exit", "0");
        String base = "/v2/acts/" + actor + "/versions";

        JsonNode created = api.post(base, VERSION).expect(201).data();
        assertEquals("0.0", created.get("versionNumber").asText());
        assertEquals("beta", created.get("buildTag").asText());
        assertEquals(3, created.get("sourceFiles").size());
        assertEquals("visible", created.get("envVars").get(0).get("value").asText());
        assertTrue(created.get("envVars").get(1).get("value").isNull(), "a secret is never shown: " + created);
        assertFalse(api.get(base).expect(200).text().contains("s3cret"));
        assertEquals(1, api.get(base).expect(200).data().get("total").asInt());
        assertEquals("name-not-unique", api.post(base, VERSION).expect(400).errorType());

        ActorVersion stored = daemon.daemon().versions().find(actor, "0.0").orElseThrow();
        String sealed = stored.envVars().get(1).value();
        assertTrue(sealed.startsWith("aesgcm1:") && !sealed.contains("s3cret"), "encrypted at rest: " + sealed);

        JsonNode echoed = api.get(base + "/0.0").expect(200).data();
        JsonNode updated = api.put(base + "/0.0", "{\"buildTag\":\"latest\",\"envVars\":" + echoed.get("envVars")
                + "}").expect(200).data();
        assertEquals("latest", updated.get("buildTag").asText());
        assertEquals(3, updated.get("sourceFiles").size(), "fields not named keep their value");
        assertEquals(Map.of("PLAIN", "visible", "TOKEN", "s3cret"), daemon.daemon().versions().environment(actor, "0.0"),
                "a secret sent back without its value keeps it");

        api.delete(base + "/0.0").expect(204);
        assertEquals("record-not-found", api.get(base + "/0.0").expect(404).errorType());
    }

    @Test
    void shouldGiveRunsTheirVersionsVariablesWithThePlatformsWinning() throws Exception {
        String actor = daemon.actor("env", "sleep", "30");
        api.post("/v2/acts/" + actor + "/versions", VERSION.replace("\"name\":\"PLAIN\"", "\"name\":\"APIFY_TOKEN\""))
                .expect(201);
        String run = api.post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
        awaitStatus(api, run, "RUNNING");

        Map<String, String> env = runtime.last().spec().env();
        assertEquals("s3cret", env.get("TOKEN"), "the secret, decrypted, for the run");
        assertFalse(env.get("APIFY_TOKEN").equals("visible"), "the platform's variable wins");
    }

    @Test
    void shouldManageEnvVarsOneByOne() throws Exception {
        String actor = daemon.actor("vars", "exit", "0");
        String vars = "/v2/acts/" + actor + "/versions/0.0/env-vars";
        api.post("/v2/acts/" + actor + "/versions", VERSION).expect(201);

        assertEquals("NEW", api.post(vars, "{\"name\":\"NEW\",\"value\":\"1\"}").expect(201).data().get("name")
                .asText());
        assertEquals("name-not-unique", api.post(vars, "{\"name\":\"NEW\",\"value\":\"2\"}").expect(400).errorType());
        assertEquals(3, api.get(vars).expect(200).data().get("total").asInt());
        JsonNode renamed = api.put(vars + "/NEW", "{\"name\":\"RENAMED\",\"value\":\"x\",\"isSecret\":true}")
                .expect(200).data();
        assertTrue(renamed.get("isSecret").asBoolean() && renamed.get("value").isNull(), renamed.toString());
        assertEquals("record-not-found", api.get(vars + "/NEW").expect(404).errorType());
        api.delete(vars + "/RENAMED").expect(204);
        assertEquals(2, api.get(vars).expect(200).data().get("total").asInt());
    }

    @Test
    void shouldRefuseBadVersionsWithAClearError() throws Exception {
        String base = "/v2/acts/" + daemon.actor("bad", "exit", "0") + "/versions";
        for (String body : new String[] {
                "{\"versionNumber\":\"1\",\"sourceType\":\"SOURCE_FILES\"}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"FTP\"}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"SOURCE_FILES\",\"sourceFiles\":[{\"name\":\"../x\","
                        + "\"format\":\"TEXT\",\"content\":\"\"}]}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"SOURCE_FILES\",\"sourceFiles\":[{\"name\":\"x\","
                        + "\"format\":\"BASE64\",\"content\":\"***\"}]}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"TARBALL\",\"tarballUrl\":\"file:///etc/shadow\"}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"SOURCE_FILES\",\"envVars\":[{\"name\":\"1A\","
                        + "\"value\":\"x\"}]}",
                "{\"versionNumber\":\"0.1\",\"sourceType\":\"SOURCE_FILES\",\"buildTag\":\"1.2.3\"}"}) {
            assertEquals("invalid-value", api.post(base, body).expect(400).errorType(), body);
        }
        assertEquals(0, api.get(base).expect(200).data().get("total").asInt(), "nothing was stored");
        for (String path : new String[] {base + "/%7E%00", base + "/%7E%00/env-vars/A", base + "/0.%00/env-vars/A"}) {
            assertEquals("record-not-found", api.get(path).expect(404).errorType(), path);
            assertEquals("record-not-found", api.put(path, "{\"name\":\"A\",\"value\":\"x\"}").expect(404)
                    .errorType(), path);
        }
        assertEquals("record-not-found", api.get(base + "/%7E%00/env-vars").expect(404).errorType());
        assertEquals("record-not-found", api.post(base.replace("/versions", "/builds?version=%00"), "").expect(404)
                .errorType());
    }

    @Test
    void shouldShowVersionsOnlyToWhoMayChangeTheActor() throws Exception {
        String actor = daemon.actor("private", "exit", "0");
        api.post("/v2/acts/" + actor + "/versions", VERSION).expect(201);
        Api bob = daemon.user("bob");
        int status = bob.get("/v2/acts/" + actor + "/versions").status();
        assertTrue(status == 404 || status == 403, "bob got " + status);
        assertTrue(bob.get("/v2/acts/" + actor + "/versions/0.0/env-vars").status() >= 403);
    }
}
