package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Two-layer images in real containers: the base is the payload rootfs, the second layer deletes a file and
 * a directory (whiteouts), hides a directory's old content (opaque) and replaces and adds files; the run
 * must see exactly the files the image defines, as the image's user.
 */
@Tag("privileged")
class ImageRunIT {
    private static final String SCRIPT = "cd / && find etc var data | sort && cat etc/passwd data/new.txt && id -u"
            + " && if [ -e /root ]; then echo root-present; else echo root-gone; fi";
    private static final String EXPECTED = String.join("\n", "data", "data/new.txt", "etc", "etc/group",
            "etc/passwd", "var", "var/only.txt", "root:x:0:0:root:/root:/bin/sh", "image:x:7:7::/:/bin/sh", "new",
            "7", "root-gone");

    @TempDir
    static Path dir;

    @StartDaemon(realRuntime = true, graceSeconds = 2)
    private static TestDaemon daemon;
    private static TestImages.Image image;

    @BeforeAll
    static void start() throws Exception {
        byte[] top = new TestImages.Layer().dir("etc").whiteout("etc", "hostname")
                .file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nimage:x:7:7::/:/bin/sh\n")
                .dir("var").opaque("var").file("var/only.txt", "v").dir("data").file("data/new.txt", "new\n")
                .whiteout("", "root").tar();
        image = TestImages.Image.of(List.of(TestImages.layerOf(ItRuntime.payloadRootfs()), top))
                .withConfig(List.of("/bin/sh", "-c"), List.of(SCRIPT), List.of("PATH=/bin:/usr/bin"), "/", "image");
    }

    @ParameterizedTest
    @ValueSource(strings = {"oci-dir-gzip", "oci-tar-zstd", "docker-archive"})
    void shouldRunExactlyTheFilesTheImageDefines(String format) throws Exception {
        String ref = switch (format) {
            case "oci-dir-gzip" -> "oci:" + TestImages.writeDir(dir.resolve(format), TestImages.ociLayout(image,
                    "1.0", TestImages.Compression.GZIP)) + ":1.0";
            case "oci-tar-zstd" -> "oci:" + TestImages.writeTar(dir.resolve(format + ".tar"),
                    TestImages.ociLayout(image, "1.0", TestImages.Compression.ZSTD)) + ":1.0";
            default -> "docker-archive:" + TestImages.writeTar(dir.resolve(format + ".tar"),
                    TestImages.dockerArchive(image, "test/image:1.0"));
        };
        String actor = daemon.api().post("/v2/acts", "{\"name\":\"" + format + "\"}").expect(201).data().get("id")
                .asText();
        daemon.admin("/v2/acts/" + actor + "/builds", "{\"image\":" + Json.MAPPER.writeValueAsString(ref) + "}")
                .expect(201);
        JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=60", "").expect(201).data();
        String log = daemon.api().get("/v2/logs/" + run.get("id").asText()).expect(200).text();
        assertEquals("SUCCEEDED", run.get("status").asText(), log);
        assertEquals(EXPECTED, workloadLines(log), log);
    }

    /** The workload's own lines, without timestamps and the daemon's ACTOR: lines. */
    private static String workloadLines(String log) {
        return log.lines().map(l -> l.substring(l.indexOf(' ') + 1)).filter(l -> !l.startsWith("ACTOR: "))
                .collect(Collectors.joining("\n"));
    }
}
