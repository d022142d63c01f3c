package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import io.actord.runtime.Container;
import io.actord.runtime.ExitStatus;
import io.actord.runtime.LayerFiles;
import io.actord.runtime.testing.SpecBuilder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A build step's layer: what a container changed (its overlay's upper directory, read after the exit) written
 * as an OCI layer, whose whiteouts and opaque directories a run on the image then shows as deletions.
 */
@Tag("privileged")
class LayerDiffIT {
    /** What the step does: delete a file and a directory, replace a directory's content, add and change files. */
    private static final String STEP = "rm /etc/hostname && rm -rf /root && rm -rf /var && mkdir /var"
            + " && echo v > /var/only.txt && mkdir /data && echo new > /data/new.txt && echo changed > /etc/passwd";
    private static final String SCRIPT = "cd / && find etc var data | sort && cat etc/passwd data/new.txt"
            + " && if [ -e /root ]; then echo root-present; else echo root-gone; fi";

    @TempDir
    static Path dir;

    @StartDaemon(realRuntime = true, graceSeconds = 2)
    private static TestDaemon daemon;

    @Test
    void shouldMakeALayerOfWhatAContainerChanged() throws Exception {
        byte[] diff;
        try (ItRuntime.Choice rt = ItRuntime.real(dir.resolve("step"));
             Container step = rt.runtime().create(new SpecBuilder("it-step", ItRuntime.payloadRootfs(),
                     dir.resolve("step/runs/it-step"), "/bin/sh", "-c", STEP).build())) {
            assertEquals(ExitStatus.exited(0), step.awaitExit(Duration.ofSeconds(30)).orElseThrow());
            ByteArrayOutputStream tar = new ByteArrayOutputStream();
            DirectoryTar.writeUpper(step.writableLayer().orElseThrow(), LayerFiles.kernel(), tar);
            diff = tar.toByteArray();
        }
        List<String> members = new ArrayList<>();
        TarReader reader = new TarReader(new ByteArrayInputStream(diff), "the step's diff");
        for (var e = reader.next(); e.isPresent(); e = reader.next()) {
            members.add(e.get().name());
        }
        assertTrue(members.containsAll(List.of("etc/.wh.hostname", ".wh.root", "var/.wh..wh..opq", "var/only.txt",
                "data/new.txt", "etc/passwd")), members.toString());

        TestImages.Image image = TestImages.Image.of(List.of(TestImages.layerOf(ItRuntime.payloadRootfs()), diff))
                .withConfig(List.of("/bin/sh", "-c"), List.of(SCRIPT), List.of("PATH=/bin:/usr/bin"), "/", "0");
        String ref = "oci:" + TestImages.writeDir(dir.resolve("image"), TestImages.ociLayout(image, "1.0",
                TestImages.Compression.GZIP)) + ":1.0";
        String actor = daemon.api().post("/v2/acts", "{\"name\":\"diff\"}").expect(201).data().get("id").asText();
        daemon.admin("/v2/acts/" + actor + "/builds", "{\"image\":" + Json.MAPPER.writeValueAsString(ref) + "}")
                .expect(201);
        JsonNode run = daemon.api().post("/v2/acts/" + actor + "/runs?waitForFinish=60", "").expect(201).data();
        String log = daemon.api().get("/v2/logs/" + run.get("id").asText()).expect(200).text();
        assertEquals("SUCCEEDED", run.get("status").asText(), log);
        List<String> lines = log.lines().map(l -> l.substring(l.indexOf(' ') + 1))
                .filter(l -> !l.startsWith("ACTOR: ")).collect(Collectors.toList());
        assertTrue(lines.containsAll(List.of("var/only.txt", "data/new.txt", "changed", "new", "root-gone")),
                log);
        assertTrue(!lines.contains("etc/hostname") && lines.stream().noneMatch(l -> l.startsWith("var/")
                && !l.equals("var/only.txt")), "deleted files stay deleted: " + log);
    }
}
