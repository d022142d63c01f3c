package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Images as a real tool writes them: Debian's skopeo converts a test image into a docker-archive, an
 * oci-archive and a zstd OCI layout, and each imports to the same layers and command. Skipped, visibly,
 * where skopeo is not installed (bin/lib/common.sh installs it for the build).
 */
class SkopeoImagesTest {
    @TempDir
    Path dir;

    @StartDaemon
    private TestDaemon daemon;
    private String actor;
    private Path source;
    private List<String> layers;

    @BeforeEach
    void start() throws Exception {
        boolean skopeo = Files.isExecutable(Path.of("/usr/bin/skopeo"));
        if (!skopeo) {
            System.out.println("SKIPPED SkopeoImagesTest: skopeo is not installed (apt-get install skopeo)");
        }
        assumeTrue(skopeo, "SKIPPED SkopeoImagesTest: skopeo is not installed");
        actor = daemon.api().post("/v2/acts", "{\"name\":\"skopeo\"}").expect(201).data().get("id").asText();
        TestImages.Image image = TestImages.Image.of(List.of(
                new TestImages.Layer().dir("bin").file("bin/app", "app", 0755).tar(),
                new TestImages.Layer().dir("data").file("data/x", "x").symlink("data/y", "x").tar()))
                .withConfig(List.of("/bin/app"), List.of("run"), List.of("A=1"), "/data", null);
        source = TestImages.writeDir(dir.resolve("source"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP));
        layers = image.layers().stream().map(l -> Digest.of(l).toString()).toList();
    }

    @Test
    void shouldImportADockerArchiveWrittenBySkopeo() throws Exception {
        Path tar = dir.resolve("docker.tar");
        skopeo("copy", "oci:" + source + ":v1", "docker-archive:" + tar + ":example/app:v1");
        assertImported("docker-archive:" + tar + ":example/app:v1");
    }

    @Test
    void shouldImportAnOciArchiveWrittenBySkopeo() throws Exception {
        Path tar = dir.resolve("oci.tar");
        skopeo("copy", "oci:" + source + ":v1", "oci-archive:" + tar + ":v2");
        assertImported("oci-archive:" + tar + ":v2");
    }

    @Test
    void shouldImportAZstdLayoutWrittenBySkopeo() throws Exception {
        Path layout = dir.resolve("zstd");
        skopeo("copy", "--dest-compress-format", "zstd", "oci:" + source + ":v1", "oci:" + layout + ":v3");
        assertImported("oci:" + layout + ":v3");
    }

    private void assertImported(String ref) throws IOException {
        JsonNode build = daemon.admin("/v2/acts/" + actor + "/builds", "{\"image\":"
                + Json.MAPPER.writeValueAsString(ref) + "}").expect(201).data();
        List<String> got = new ArrayList<>();
        build.get("layers").forEach(l -> got.add(l.asText()));
        assertEquals(layers, got, build.toString());
        assertEquals("[\"/bin/app\",\"run\"]", build.get("command").toString());
        assertEquals("/data", build.get("workDir").asText());
    }

    private void skopeo(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        command.addAll(List.of(args));
        Path tmp = Files.createDirectories(dir.resolve("skopeo-tmp"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("TMPDIR", tmp.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), String.join(" ", command) + ":\n" + out);
    }
}
