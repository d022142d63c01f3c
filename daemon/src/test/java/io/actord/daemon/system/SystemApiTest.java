package io.actord.daemon.system;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.image.Digest;
import io.actord.daemon.image.ImageTables;
import io.actord.daemon.image.Layer;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** system df and prune: what the daemon's data takes, and a prune that keeps what is used. */
class SystemApiTest {
    @StartDaemon
    private TestDaemon daemon;

    @Test
    void shouldCountLayersRunsAndStoragesAndPruneOnlyWhatNothingUses() throws Exception {
        List<String> usedLayers = namedImage();
        String unused = plantUnusedLayer("left by a crash", 4096);
        String hello = daemon.actor("hello", "echo", "hi");
        String old = finishedRun(hello);
        Thread.sleep(20);
        Instant cutoff = Instant.now();
        Thread.sleep(20);
        String recent = finishedRun(hello);
        String sleeper = daemon.actor("sleeper", "sleep", "30");
        String running = daemon.api().post("/v2/acts/" + sleeper + "/runs").expect(201).data().get("id").asText();
        daemon.api().post("/v2/datasets/" + run(old).get("defaultDatasetId").asText() + "/items", "[{\"a\":1}]")
                .expect(201);

        Map<String, JsonNode> df = df();
        assertEquals(layerDirs(), df.get("layers").get("count").asLong(), df.toString());
        assertEquals(1, df.get("layers").get("count").asInt() - df.get("layers").get("active").asInt(),
                "the builds' and the named image's layers are in use, the planted one is not: " + df);
        assertEquals(4096, df.get("layers").get("reclaimableBytes").asLong(), df.toString());
        assertEquals(3, df.get("runs").get("count").asInt(), df.toString());
        assertEquals(1, df.get("runs").get("active").asInt(), df.toString());
        assertTrue(df.get("runs").get("bytes").asLong() > 0, "the runs' logs: " + df);
        assertEquals(3, df.get("datasets").get("count").asInt(), df.toString());
        assertEquals(7, df.get("datasets").get("reclaimableBytes").asLong(), "the finished run's item: " + df);
        assertTrue(df.get("state-store").get("bytes").asLong() > 0, df.toString());

        JsonNode dry = prune("?until=" + cutoff + "&dryRun=1").data();
        assertTrue(dry.get("dryRun").asBoolean());
        assertEquals(List.of(unused), ids(dry.get("layers")));
        assertEquals(List.of(old), ids(dry.get("runs")));
        assertTrue(dry.get("runs").get("bytes").asLong() >= 7, dry.toString());
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + old).status(), "a dry run removes nothing");
        assertTrue(Files.isDirectory(layerDir(unused)));

        JsonNode done = prune("?until=" + cutoff).data();
        assertFalse(done.get("dryRun").asBoolean());
        assertEquals(List.of(unused), ids(done.get("layers")));
        assertEquals(List.of(old), ids(done.get("runs")));
        assertFalse(Files.exists(layerDir(unused)), "the unused layer is gone");
        usedLayers.forEach(d -> assertTrue(Files.isDirectory(layerDir(d)), "the named image's layer stays: " + d));
        assertEquals(404, daemon.api().get("/v2/actor-runs/" + old).status(), "the old finished run is gone");
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + recent).status(), "a run finished later stays");
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + running).status(), "a running run stays");

        JsonNode layersOnly = prune("").data();
        assertEquals(0, layersOnly.get("layers").get("count").asInt(), layersOnly.toString());
        assertEquals(0, layersOnly.get("runs").get("count").asInt(), "no --until: no runs");
        assertEquals(200, daemon.api().get("/v2/actor-runs/" + recent).status());
        daemon.api().post("/v2/actor-runs/" + running + "/abort").expect(200);
    }

    @Test
    void shouldBeTheAdminsOnlyAndRefuseABadTime() throws Exception {
        assertEquals(403, daemon.api().get("/v2/actord/system/df").status());
        assertEquals(403, daemon.api().post("/v2/actord/system/prune?dryRun=1").status());
        assertEquals("invalid-value", daemon.admin("POST", "/v2/actord/system/prune?until=yesterday", null)
                .expect(400).errorType());
    }

    private Map<String, JsonNode> df() throws IOException {
        Map<String, JsonNode> rows = new HashMap<>();
        daemon.admin("GET", "/v2/actord/system/df", null).expect(200).data().get("items")
                .forEach(row -> rows.put(row.get("kind").asText(), row));
        return rows;
    }

    private TestDaemon.Response prune(String query) throws IOException {
        return daemon.admin("POST", "/v2/actord/system/prune" + query, null).expect(200);
    }

    private static List<String> ids(JsonNode removed) {
        return Json.MAPPER.convertValue(removed.has("ids") ? removed.get("ids") : removed.get("layers"), Json.MAPPER.getTypeFactory()
                .constructCollectionType(List.class, String.class));
    }

    private String finishedRun(String actorId) {
        return daemon.api().post("/v2/acts/" + actorId + "/runs?waitForFinish=10").expect(201).data().get("id")
                .asText();
    }

    private JsonNode run(String id) {
        return daemon.api().get("/v2/actor-runs/" + id).expect(200).data();
    }

    /** Imports an image under a name; returns its layers' DiffIDs. */
    private List<String> namedImage() throws IOException {
        byte[] layer = new TestImages.Layer().dir("data").file("data/kept", "kept").tar();
        TestImages.Image image = TestImages.Image.of(List.of(layer)).withConfig(List.of("/bin/app"), List.of(),
                List.of("PATH=/bin"), "/", "0");
        String ref = "oci:" + TestImages.writeDir(daemon.dir().resolve("image"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP)) + ":v1";
        JsonNode named = daemon.admin("/v2/actord/images", "{\"name\":\"base\",\"image\":" + Json.MAPPER
                .writeValueAsString(ref) + "}").expect(201).data();
        return ids(named);
    }

    /** A layer in the store that nothing references, as a crash between unpacking and storing a build leaves one. */
    private String plantUnusedLayer(String content, long tarBytes) throws IOException {
        Digest diffId = Digest.of(content.getBytes(StandardCharsets.UTF_8));
        Path dir = layerDir(diffId.toString());
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("file"), content);
        daemon.daemon().store().table(ImageTables.LAYERS).put(diffId.toString(),
                new Layer(Layer.SCHEMA, diffId.toString(), tarBytes, 1, Instant.now()));
        return diffId.toString();
    }

    private long layerDirs() throws IOException {
        try (var dirs = Files.list(daemon.dir().resolve("state/layers/sha256"))) {
            return dirs.count();
        }
    }

    private Path layerDir(String diffId) {
        return daemon.dir().resolve("state/layers/sha256").resolve(Digest.parse(diffId).hex());
    }
}
