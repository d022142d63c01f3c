package io.actord.daemon.compat;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.actor.Build;
import io.actord.daemon.common.Json;
import io.actord.daemon.input.InputSecretKeys;
import io.actord.daemon.input.RunInputSchemas;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.NodeScripts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Secret input as the daemon stores it, decrypted by the published {@code @apify/input_secrets} the way the
 * apify SDK's {@code Actor.getInput()} does it, with the key the daemon gives runs in their environment.
 */
@ApifyCompat
class InputSecretsNodeTest {
    @TempDir
    Path dir;

    @Test
    void shouldStoreSecretsTheSdkDecrypts() throws Exception {
        NodeScripts.install();
        InputSecretKeys keys = InputSecretKeys.open(dir.resolve("input-secrets"));
        JsonNode definition = Json.MAPPER.readTree("""
                {"input": {"title": "t", "type": "object", "schemaVersion": 1, "properties": {
                  "user": {"title": "User", "type": "string", "editor": "textfield", "description": "d"},
                  "password": {"title": "P", "type": "string", "editor": "textfield", "description": "d",
                               "isSecret": true},
                  "tokens": {"title": "T", "type": "object", "editor": "json", "description": "d", "isSecret": true},
                  "scopes": {"title": "S", "type": "array", "editor": "json", "description": "d", "isSecret": true}
                }}}""");
        Build build = Build.ready("b1", "a1", "u1", 1, "0.0.1", Instant.EPOCH, "test", Build.Meta.API, null, "host")
                .withActorDefinition(definition);
        String input = "{\"user\":\"ann\",\"password\":\"hunter2 ü\",\"tokens\":{\"gh\":\"tok-123\"},"
                + "\"scopes\":[\"repo\",1]}";
        KvRecord stored = new RunInputSchemas(keys).apply(build, Optional.of(new KvRecord("application/json",
                input.getBytes(StandardCharsets.UTF_8)))).orElseThrow();
        String atRest = new String(stored.value(), StandardCharsets.UTF_8);
        for (String secret : new String[]{"hunter2", "tok-123", "repo"}) {
            assertFalse(atRest.contains(secret), atRest);
        }
        assertTrue(atRest.contains("\"user\":\"ann\""), atRest);
        NodeScripts.Result r = NodeScripts.node("input-secrets.mjs", keys.environment(), Duration.ofMinutes(1),
                atRest);
        assertEquals(0, r.exitCode(), r.output());
        assertEquals(Json.MAPPER.readTree(input), Json.MAPPER.readTree(r.output().strip()));
    }
}
