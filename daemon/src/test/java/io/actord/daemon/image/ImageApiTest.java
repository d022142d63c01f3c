package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Builds from images through the HTTP API (no root: the layers have no whiteouts and this user's files). */
class ImageApiTest {
    @StartDaemon
    private TestDaemon daemon;
    private Path dir;
    private TestDaemon.Api api;
    private String actor;

    @BeforeEach
    void start() {
        dir = daemon.dir();
        api = daemon.api();
        actor = api.post("/v2/acts", "{\"name\":\"images\"}").expect(201).data().get("id").asText();
    }

    private static byte[] base() throws IOException {
        return new TestImages.Layer().dir("bin").file("bin/app", "app", 0755).dir("etc")
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\n")
                .file("etc/group", "root:x:0:\nstaff:x:50:\n").tar();
    }

    private static byte[] top(String marker) throws IOException {
        return new TestImages.Layer().dir("data").file("data/" + marker, marker).tar();
    }

    private static TestImages.Image image(byte[]... layers) throws IOException {
        return TestImages.Image.of(List.of(layers)).withConfig(List.of("/bin/app"), List.of("--flag"),
                List.of("PATH=/bin", "A=1"), "/work", "app");
    }

    private TestDaemon.Response build(String image, String extra) throws IOException {
        return daemon.admin("/v2/acts/" + actor + "/builds", "{\"image\":" + Json.MAPPER.writeValueAsString(image)
                + extra + "}");
    }

    @Test
    void shouldImportOciLayoutsAndDockerArchivesWithTheImagesConfig() throws Exception {
        TestImages.Image image = image(base(), top("one"));
        Path layout = TestImages.writeDir(dir.resolve("layout"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP));
        Path ociTar = TestImages.writeTar(dir.resolve("image.oci.tar"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.ZSTD));
        Path docker = TestImages.writeTar(dir.resolve("image.docker.tar"), TestImages.dockerArchive(image,
                "example/app:1.0"));
        List<String> expectedLayers = List.of(Digest.of(image.layers().get(0)).toString(),
                Digest.of(image.layers().get(1)).toString());
        for (String ref : List.of("oci:" + layout + ":v1", "oci-archive:" + ociTar, "docker-archive:" + docker
                + ":example/app:1.0")) {
            JsonNode b = build(ref, "").expect(201).data();
            assertEquals("[\"/bin/app\",\"--flag\"]", b.get("command").toString(), ref);
            assertEquals("/work", b.get("workDir").asText(), ref);
            assertEquals("1000:1001", b.get("user").asText(), "USER app from the image's /etc/passwd");
            assertEquals(expectedLayers, strings(b.get("layers")), ref);
        }
        assertEquals(2, layerCount(), "the three imports share two layers");
        JsonNode overridden = build("oci:" + layout + "@" + digestOfOnlyManifest(layout), ",\"cmd\":[\"/bin/other\"],"
                + "\"env\":{\"B\":\"2\"},\"workDir\":\"/\",\"user\":\"1000:staff\"").expect(201).data();
        assertEquals("[\"/bin/other\"]", overridden.get("command").toString());
        assertEquals("/", overridden.get("workDir").asText());
        assertEquals("1000:50", overridden.get("user").asText());
        assertEquals("0.0.4", overridden.get("buildNumber").asText());
        assertEquals("0.0.4", api.post("/v2/acts/" + actor + "/runs?build=latest&waitForFinish=5", "").expect(201)
                .data().get("buildNumber").asText());
        assertEquals("0.0.2", api.post("/v2/acts/" + actor + "/runs?build=0.0.2&waitForFinish=5", "").expect(201)
                .data().get("buildNumber").asText());
        assertEquals("unknown-build-tag", api.post("/v2/acts/" + actor + "/runs?build=0.0.7", "").expect(403)
                .errorType());
    }

    @Test
    void shouldStoreASharedLayerOnceAndFreeItWithTheLastBuild() throws Exception {
        byte[] base = base();
        Path a = TestImages.writeDir(dir.resolve("a"), TestImages.ociLayout(image(base, top("a")), "x",
                TestImages.Compression.GZIP));
        Path b = TestImages.writeDir(dir.resolve("b"), TestImages.ociLayout(image(base, top("b")), "x",
                TestImages.Compression.NONE));
        String first = build("oci:" + a, "").expect(201).data().get("id").asText();
        String second = build("oci:" + b, "").expect(201).data().get("id").asText();
        Path baseDir = layerDir(Digest.of(base));
        assertEquals(3, layerCount());
        delete("/v2/actor-builds/" + first).expect(204);
        assertEquals(2, layerCount());
        assertTrue(Files.isRegularFile(baseDir.resolve("bin/app")), "the other build still uses the base layer");
        assertEquals("record-not-found", api.get("/v2/actor-builds/" + first).expect(404).errorType());
        delete("/v2/actor-builds/" + second).expect(204);
        assertEquals(0, layerCount(), "no build uses any layer now");
        build("oci:" + a, "").expect(201);
        delete("/v2/acts/" + actor).expect(204);
        assertEquals(0, layerCount(), "deleting the actor frees its builds' layers");
    }

    @Test
    void shouldRefuseBadImagesAndKeepNothing() throws Exception {
        TestImages.Image image = image(base(), top("x"));
        Map<String, byte[]> files = TestImages.ociLayout(image, "v1", TestImages.Compression.GZIP);
        Path good = TestImages.writeDir(dir.resolve("good"), files);
        assertRefused(build("oci:" + good + ":nope", ""), "has no image 'nope'; it has v1");
        Map<String, byte[]> tampered = new LinkedHashMap<>(files);
        String topBlob = "blobs/sha256/" + Digest.of(TestImages.compress(image.layers().get(1),
                TestImages.Compression.GZIP)).hex();
        tampered.put(topBlob, TestImages.compress(top("evil"), TestImages.Compression.GZIP));
        assertRefused(build("oci:" + TestImages.writeDir(dir.resolve("tampered"), tampered), ""),
                "does not match its digest");
        byte[] hostile = new TestImages.Layer().file("../../escaped", "x").tar();
        Path evil = TestImages.writeTar(dir.resolve("evil.tar"), TestImages.dockerArchive(image(base(), hostile),
                "evil:latest"));
        assertRefused(build("docker-archive:" + evil, ""), "leaves the layer through '..'");
        assertRefused(build("oci:" + dir, ""), "is not an OCI image layout");
        assertRefused(build("oci:relative/path", ""), "must be absolute");
        assertRefused(build("docker-archive:" + good.resolve("index.json"), ""), "not a tar archive");
        assertEquals("invalid-input", daemon.admin("/v2/acts/" + actor + "/builds", "{\"image\":\"oci:" + good
                + "\",\"rootfs\":\"/\"}").expect(400).errorType());
        assertEquals("insufficient-permissions", api.post("/v2/acts/" + actor + "/builds", "{\"image\":\"oci:"
                + good + "\"}").expect(403).errorType());
        assertEquals(0, api.get("/v2/acts/" + actor + "/builds").expect(200).data().get("total").asInt());
        assertEquals(0, layerCount());
        assertFalse(Files.exists(dir.resolve("escaped")));
        try (Stream<Path> tmp = Files.list(dir.resolve("state/layers/tmp"))) {
            assertEquals(List.of(), tmp.toList());
        }
    }

    /**
     * The attacks: a manifest whose layer blob is missing (or another blob) was accepted when a layer with
     * the config's DiffID was already stored; a security.capability the kernel refuses was a 500.
     */
    @Test
    void shouldCheckEveryBlobOfAStoredLayerAndRefuseBadCapabilities() throws Exception {
        TestImages.Image image = image(base(), top("x"));
        Map<String, byte[]> files = TestImages.ociLayout(image, "v1", TestImages.Compression.GZIP);
        build("oci:" + TestImages.writeDir(dir.resolve("first"), files) + ":v1", "").expect(201);
        String topBlob = "blobs/sha256/" + Digest.of(TestImages.compress(image.layers().get(1),
                TestImages.Compression.GZIP)).hex();
        Map<String, byte[]> missing = new LinkedHashMap<>(files);
        missing.remove(topBlob);
        assertRefused(build("oci:" + TestImages.writeDir(dir.resolve("missing"), missing) + ":v1", ""),
                "has no file " + topBlob);
        Map<String, byte[]> other = new LinkedHashMap<>(files);
        other.put(topBlob, TestImages.compress(top("other"), TestImages.Compression.GZIP));
        assertRefused(build("oci:" + TestImages.writeDir(dir.resolve("other"), other) + ":v1", ""),
                "does not match its digest");

        byte[] badCap = new TestImages.Layer().raw(new TarEntry("cap", TarEntry.Type.FILE, 0755, TestImages.ownIds()[0],
                TestImages.ownIds()[1], 1, 0, "", 0, 0, Map.of("security.capability", "junk".getBytes(StandardCharsets
                .US_ASCII))), new byte[] {'x'}).tar();
        assertRefused(build("oci:" + TestImages.writeDir(dir.resolve("cap"), TestImages.ociLayout(image(base(), badCap),
                "v1", TestImages.Compression.GZIP)) + ":v1", ""), "security.capability");
        assertEquals(1, api.get("/v2/acts/" + actor + "/builds").expect(200).data().get("total").asInt());
    }

    private void assertRefused(TestDaemon.Response r, String message) {
        r.expect(400);
        assertEquals("invalid-value", r.errorType(), r.text());
        assertTrue(r.json().path("error").path("message").asText().contains(message), r.text());
    }

    private TestDaemon.Response delete(String path) {
        return api.send(HttpRequest.newBuilder(api.base().resolve(path)).DELETE());
    }

    private static String digestOfOnlyManifest(Path layout) throws IOException {
        return Json.MAPPER.readTree(layout.resolve("index.json").toFile()).get("manifests").get(0).get("digest")
                .asText();
    }

    private long layerCount() throws IOException {
        try (Stream<Path> layers = Files.list(dir.resolve("state/layers/sha256"))) {
            return layers.count();
        }
    }

    private Path layerDir(Digest d) {
        return dir.resolve("state/layers/sha256").resolve(d.hex());
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
