package io.actord.daemon.image;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import io.actord.daemon.testing.StartDaemon;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Base images by name (for a Dockerfile's FROM), imported and deleted by the admin; their layers stay while named. */
class NamedImagesApiTest {
    @StartDaemon
    private TestDaemon daemon;

    private String ociLayout(String name, String marker) throws IOException {
        byte[] layer = new TestImages.Layer().dir("data").file("data/" + marker, marker).tar();
        TestImages.Image image = TestImages.Image.of(List.of(layer)).withConfig(List.of("/bin/app"), List.of(),
                List.of("PATH=/bin", "NODE_VERSION=20"), "/usr/src/app", "0");
        return "oci:" + TestImages.writeDir(daemon.dir().resolve(name), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP)) + ":v1";
    }

    private TestDaemon.Response importAs(String name, String ref) throws IOException {
        return daemon.admin("/v2/actord/images", "{\"name\":" + Json.MAPPER.writeValueAsString(name) + ",\"image\":"
                + Json.MAPPER.writeValueAsString(ref) + "}");
    }

    @Test
    void shouldKeepAnImportUnderItsNameUntilDeleted() throws Exception {
        JsonNode node = importAs("apify/actor-node", ociLayout("node", "one")).expect(201).data();
        assertEquals("apify/actor-node:latest", node.get("name").asText(), "the tag defaults to latest");
        assertEquals("/usr/src/app", node.get("config").get("workingDir").asText());
        assertEquals(1, layerCount());

        JsonNode got = daemon.admin("GET", "/v2/actord/images/apify~actor-node:latest", null).expect(200).data();
        assertEquals(node.get("layers"), got.get("layers"));
        assertEquals(1, daemon.admin("GET", "/v2/actord/images", null).expect(200).data().get("total").asInt());

        importAs("apify/actor-node:latest", ociLayout("node2", "two")).expect(201);
        assertEquals(1, layerCount(), "the replaced image's layer went, the new one stays");
        daemon.admin("DELETE", "/v2/actord/images/apify~actor-node:latest", null).expect(204);
        assertEquals(0, layerCount(), "no name and no build uses the layer any more");
        assertEquals("record-not-found", daemon.admin("GET", "/v2/actord/images/apify~actor-node", null).expect(404)
                .errorType());
    }

    @Test
    void shouldRefuseBadNamesAndNonAdmins() throws Exception {
        for (String bad : List.of("Apify/Node", "node:", "a//b", "../x", "node:tag:again")) {
            assertEquals("invalid-value", importAs(bad, ociLayout("bad", "x")).expect(400).errorType(), bad);
        }
        assertEquals(0, layerCount(), "nothing was imported");
        TestDaemon.Response user = daemon.user("eve").post("/v2/actord/images", "{\"name\":\"x\",\"image\":\"oci:/\"}");
        assertTrue(user.status() == 403, "a user got " + user.status());
    }

    private long layerCount() throws IOException {
        Path layers = daemon.dir().resolve("state/layers/sha256");
        if (!Files.isDirectory(layers)) {
            return 0;
        }
        try (Stream<Path> all = Files.list(layers)) {
            return all.count();
        }
    }
}
