package io.actord.daemon.input;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.FakeDaemonApiTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.actord.daemon.testing.TestRuns.awaitStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A build's input schema over the API: starts checked against it, defaults filled, secrets encrypted. */
class InputSchemaApiTest extends FakeDaemonApiTest {
    static final String SCHEMA = """
            {"title": "in", "type": "object", "schemaVersion": 1, "properties": {
              "url": {"title": "URL", "type": "string", "editor": "textfield", "description": "d",
                      "prefill": "https://prefilled.test"},
              "maxPages": {"title": "Max", "type": "integer", "description": "d", "default": 10, "minimum": 1},
              "proxy": {"title": "Proxy", "type": "object", "editor": "proxy", "description": "d",
                        "default": {"useApifyProxy": false}},
              "password": {"title": "P", "type": "string", "editor": "textfield", "description": "d",
                           "isSecret": true}
            }, "required": ["url"]}""";

    /** An actor whose build (from the test rootfs) has {@link #SCHEMA}. */
    String actorWithSchema(String name, String... cmd) throws IOException {
        String actor = api.post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data().get("id").asText();
        daemon.admin("/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(Map.of("rootfs",
                daemon.rootfs().toString(), "cmd", List.of(cmd), "inputSchema", Json.MAPPER.readTree(SCHEMA))))
                .expect(201);
        return actor;
    }

    @Test
    void shouldRefuseInputThatViolatesTheSchemaNamingEachFieldAndStartNothing() throws Exception {
        String actor = actorWithSchema("strict", "exit", "0");
        var r = api.post("/v2/acts/" + actor + "/runs", "{\"maxPages\": 0}").expect(400);
        assertEquals("invalid-input", r.errorType());
        String message = r.json().get("error").get("message").asText();
        assertTrue(message.startsWith("Input is not valid: "), message);
        assertTrue(message.contains("Field input.url is required"), message);
        assertTrue(message.contains("Field input.maxPages "), message);
        assertEquals(0, api.get("/v2/acts/" + actor + "/runs").expect(200).data().get("total").asInt());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt());
        assertEquals(0, api.get("/v2/key-value-stores?unnamed=true").expect(200).data().get("total").asInt(),
                "no storage made either");
    }

    @Test
    void shouldFillDefaultsIntoTheRunsInput() throws Exception {
        String actor = actorWithSchema("defaults", "exit", "0");
        String run = api.post("/v2/acts/" + actor + "/runs", "{\"url\": \"https://a.test\"}").expect(201).data()
                .get("id").asText();
        JsonNode input = api.get("/v2/actor-runs/" + run + "/key-value-store/records/INPUT").expect(200).json();
        assertEquals(Json.MAPPER.readTree("{\"url\": \"https://a.test\", \"maxPages\": 10,"
                + " \"proxy\": {\"useApifyProxy\": false}}"), input, "defaults filled, the prefill not");
    }

    @Test
    void shouldStoreSecretsEncryptedAndGiveTheRunTheKey() throws Exception {
        String actor = actorWithSchema("secret", "sleep", "30");
        String secret = "pa55-" + "w0rd-never-at-rest";
        String run = api.post("/v2/acts/" + actor + "/runs", "{\"url\": \"https://a.test\", \"password\": \""
                + secret + "\"}").expect(201).data().get("id").asText();
        awaitStatus(api, run, "RUNNING");
        JsonNode input = api.get("/v2/actor-runs/" + run + "/key-value-store/records/INPUT").expect(200).json();
        assertTrue(input.get("password").asText().startsWith("ENCRYPTED_VALUE:"), input.toString());
        assertEquals("https://a.test", input.get("url").asText());

        Map<String, String> env = runtime.last().spec().env();
        assertTrue(env.containsKey("APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE"), env.keySet().toString());
        assertTrue(env.containsKey("APIFY_INPUT_SECRETS_PRIVATE_KEY_PASSPHRASE"), env.keySet().toString());
        api.post("/v2/actor-runs/" + run + "/abort").expect(200);
        awaitStatus(api, run, "ABORTED");
        List<Path> state = daemon.stateLocations();
        assertEquals(List.of(), filesContaining(state, secret), "the secret is in no file of the state");
        assertFalse(filesContaining(state, "https://a.test").isEmpty(), "while the rest of the input is");
    }

    @Test
    void shouldGiveTheKeyOnlyToRunsOfBuildsWithSecrets() throws Exception {
        String actor = daemon.actor("plain", "sleep", "30");
        String run = api.post("/v2/acts/" + actor + "/runs", "{}").expect(201).data().get("id").asText();
        awaitStatus(api, run, "RUNNING");
        assertFalse(runtime.last().spec().env().containsKey("APIFY_INPUT_SECRETS_PRIVATE_KEY_FILE"));
    }

    @Test
    void shouldValidateInputWithoutStarting() throws Exception {
        String actor = actorWithSchema("validated", "exit", "0");
        String path = "/v2/acts/" + actor + "/validate-input";
        assertEquals(Json.MAPPER.readTree("{\"valid\": true}"),
                api.post(path, "{\"url\": \"https://a.test\"}").expect(200).json());
        var r = api.post(path + "?build=latest", "{\"url\": 1}").expect(400);
        assertEquals("invalid-input", r.errorType());
        assertTrue(r.json().get("error").get("message").asText().contains("Field input.url "), r.text());
        assertEquals("unknown-build-tag", api.post(path + "?build=nope", "{}").expect(403).errorType());
        assertEquals(0, api.get("/v2/actor-runs").expect(200).data().get("total").asInt());
    }

    @Test
    void shouldRefuseABuildWhoseSchemaIsNotOne() throws Exception {
        String actor = api.post("/v2/acts", "{\"name\":\"bad-schema\"}").expect(201).data().get("id").asText();
        var r = daemon.admin("/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(Map.of("rootfs",
                daemon.rootfs().toString(), "cmd", List.of("true"), "inputSchema",
                Map.of("type", "object", "properties", Map.of("a", Map.of("type", "date")))))).expect(400);
        assertEquals("invalid-input", r.errorType());
        assertTrue(r.text().contains("Input schema is not valid"), r.text());
        assertEquals(0, api.get("/v2/acts/" + actor + "/builds").expect(200).data().get("total").asInt());
        assertEquals(400, daemon.admin("/v2/acts/" + actor + "/builds", "{\"rootfs\": \"" + daemon.rootfs()
                + "\", \"cmd\": [\"true\"], \"inputSchema\": \"{not json\"}").status());
    }

    @Test
    void shouldCheckAMetamorphsInputAgainstTheTargetsSchema() throws Exception {
        String target = actorWithSchema("target", "exit", "0");
        String source = daemon.actor("source", "sleep", "30");
        String run = api.post("/v2/acts/" + source + "/runs", "{}").expect(201).data().get("id").asText();
        awaitStatus(api, run, "RUNNING");
        var r = api.post("/v2/actor-runs/" + run + "/metamorph?targetActorId=" + target, "{\"maxPages\": \"x\"}")
                .expect(400);
        assertEquals("invalid-input", r.errorType());
        assertTrue(r.text().contains("Field input.url is required") && r.text().contains("Field input.maxPages must be"
                + " integer"), r.text());
        assertEquals("RUNNING", api.get("/v2/actor-runs/" + run).expect(200).data().get("status").asText());
    }

    /** Schemas a hostile or careless build request may bring: each is refused with a 400, never a 500. */
    @Test
    void shouldAnswerEveryBrokenSchemaWithA400() throws Exception {
        String actor = api.post("/v2/acts", "{\"name\":\"hostile\"}").expect(201).data().get("id").asText();
        String deep = "{\"type\": \"object\"}";
        for (int i = 0; i < 200; i++) {
            deep = "{\"type\": \"object\", \"properties\": {\"a\": " + deep + "}}";
        }
        List<String> schemas = List.of("5", "\"text\"", "null", "{}", "{\"type\": \"object\", \"properties\": []}",
                "{\"type\": \"object\", \"properties\": {\"a\": 1}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": [\"string\", 1]}}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"array\", \"items\": 3}}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"enum\": {}}}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"minLength\": -1}}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\"}}, \"required\": \"a\"}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"object\", \"properties\": 7}}}",
                "{\"type\": \"object\", \"properties\": {\"a\": {\"type\": \"string\", \"patternKey\": \"[\"}}}",
                "{\"type\": \"object\", \"properties\": {\"\\u0000\": {\"type\": \"integer\", \"maximum\": 1e400}}}",
                "{\"type\": \"object\", \"schemaVersion\": 2, \"properties\": {}}", "[" + deep + "]");
        for (String schema : schemas) {
            var r = daemon.admin("/v2/acts/" + actor + "/builds", "{\"rootfs\": \"" + daemon.rootfs()
                    + "\", \"cmd\": [\"true\"], \"inputSchema\": " + schema + "}");
            assertTrue(r.status() == 400 || r.status() == 201, schema + " -> " + r.status() + " " + r.text());
            assertTrue(r.status() == 201 || "invalid-input".equals(r.errorType()), schema + " -> " + r.text());
        }
        var deepOk = daemon.admin("/v2/acts/" + actor + "/builds", "{\"rootfs\": \"" + daemon.rootfs()
                + "\", \"cmd\": [\"true\"], \"inputSchema\": " + deep + "}");
        assertTrue(deepOk.status() == 201 || deepOk.status() == 400, deepOk.text());
        String path = "/v2/acts/" + actorWithSchema("garbage", "exit", "0") + "/validate-input";
        for (String body : List.of("[1]", "\"x\"", "{\"url\": {\"$ref\": \"http://192.0.2.1/\"}}", "{bad", "null")) {
            var r = api.post(path, body);
            assertEquals(400, r.status(), body + " -> " + r.text());
        }
    }

    private static List<Path> filesContaining(List<Path> dirs, String text) throws IOException {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        for (Path dir : dirs) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.filter(Files::isRegularFile).filter(f -> contains(f, needle)).forEach(found::add);
            }
        }
        return found;
    }

    private static boolean contains(Path file, byte[] needle) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            outer:
            for (int i = 0; i + needle.length <= bytes.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (bytes[i + j] != needle[j]) {
                        continue outer;
                    }
                }
                return true;
            }
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
