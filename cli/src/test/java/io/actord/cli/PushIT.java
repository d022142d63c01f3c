package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.Actorctl;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.NodeBaseImage;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code actorctl push} of the Apify-layout actor (daemon/src/test/node/actor: {@code npm ci} of the published apify
 * SDK from the node base image's offline cache) with the packaged CLI, built by the Dockerfile builder in real
 * containers; then the pushed actor's run SUCCEEDS with the SDK's OUTPUT. Skipped, printing why, without root, the
 * runtime or node and the pinned npm packages.
 */
@Tag("privileged")
class PushIT {
    @StartDaemon.Runtime
    private static ItRuntime.Choice runtime;
    @StartDaemon(realRuntime = true, graceSeconds = 3)
    private static TestDaemon daemon;

    @TempDir
    Path dir;

    @Test
    void shouldPushBuildAndRunTheApifyLayoutActor() throws Exception {
        NodeBaseImage.importInto(daemon);
        Path actor = NodeBaseImage.actor(dir.resolve("actor"));

        Actorctl.Result r = Actorctl.at(daemon.socket()).run("push", actor.toString());

        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Step 4/6 : RUN npm ci --offline") && r.out().contains("added "), r.toString());
        assertTrue(r.err().contains("created actor source-built") && r.err().contains("build 0.1.1 SUCCEEDED"),
                r.toString());
        JsonNode run = daemon.api().post("/v2/acts/source-built/runs?memory=1024&waitForFinish=60",
                "{\"greeting\":\"pushed\"}").expect(201).data();
        assertEquals("SUCCEEDED", run.get("status").asText(), daemon.api().get("/v2/logs/" + run.get("id").asText())
                .expect(200).text());
        assertEquals("{\"greeting\":\"pushed\",\"version\":1}", daemon.api().get("/v2/key-value-stores/"
                + run.get("defaultKeyValueStoreId").asText() + "/records/OUTPUT").expect(200).json().toString());
    }
}
