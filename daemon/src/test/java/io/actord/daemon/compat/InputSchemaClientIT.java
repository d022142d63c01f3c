package io.actord.daemon.compat;

import io.actord.daemon.common.Json;
import io.actord.daemon.image.Digest;
import io.actord.daemon.testing.ApifyClientScripts;
import io.actord.daemon.testing.ApifyCompat;
import io.actord.daemon.testing.FakeImageBuilder;
import io.actord.daemon.testing.FakeRuntime;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Input schemas through the published apify-client (src/test/js/input.test.mjs): {@code actor().validateInput()},
 * starts refused for invalid input, defaults and encrypted secrets in INPUT, and a version's
 * {@code .actor/input_schema.json} built from source (by a scripted builder: the schema is read from the source
 * before the builder runs) on the fake runtime.
 */
@ApifyCompat
class InputSchemaClientIT {
    static final String SCHEMA = """
            {"title": "in", "type": "object", "schemaVersion": 1, "properties": {
              "url": {"title": "URL", "type": "string", "editor": "textfield", "description": "d"},
              "maxPages": {"title": "Max", "type": "integer", "description": "d", "default": 10, "minimum": 1},
              "proxy": {"title": "Proxy", "type": "object", "editor": "proxy", "description": "d",
                        "prefill": {"useApifyProxy": true}},
              "password": {"title": "P", "type": "string", "editor": "textfield", "description": "d",
                           "isSecret": true}
            }, "required": ["url"]}""";

    @TempDir
    Path dir;

    @Test
    void shouldValidateInputWithThePublishedApifyClient() throws Exception {
        Path work = ApifyClientScripts.install();
        FakeImageBuilder builder = new FakeImageBuilder();
        try (TestDaemon daemon = TestDaemon.start(dir, new FakeRuntime(), Duration.ofSeconds(1), List.of(),
                Duration.ofSeconds(300), parts -> builder)) {
            String actor = daemon.actor("with-schema", "exit", "0");
            daemon.admin("/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(Map.of("rootfs",
                    daemon.rootfs().toString(), "cmd", List.of("exit", "0"), "inputSchema",
                    Json.MAPPER.readTree(SCHEMA)))).expect(201);
            List<Digest> layers = daemon.daemon().actors().resolveBuild(daemon.daemon().actors().byId(actor)
                    .orElseThrow(), "latest").layers().stream().map(Digest::parse).toList();
            builder.next(FakeImageBuilder.succeed(layers, List.of("exit", "0")));
            String output = ApifyClientScripts.run(work, daemon, Map.of("ACTOR", actor, "BASE_IMAGE", "base"),
                    "input.test.mjs");
            assertTrue(output.contains("pass 5") && output.contains("fail 0"), output);
        }
    }
}
