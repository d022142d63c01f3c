package io.actord.cli.commands;

import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** images import|list|delete against a real daemon. */
class ImagesCommandTest extends AgainstDaemon {
    @Test
    void shouldImportListAndDeleteANamedImage() throws Exception {
        byte[] layer = new TestImages.Layer().dir("data").file("data/x", "x").tar();
        TestImages.Image image = TestImages.Image.of(List.of(layer)).withConfig(List.of("/bin/app"), List.of(),
                List.of("PATH=/bin"), "/", "0");
        String ref = "oci:" + TestImages.writeDir(dir.resolve("layout"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP)) + ":v1";

        Cli.Result imported = cli.run("images", "import", "apify/actor-node:20", ref);
        assertEquals(0, imported.status(), imported.toString());
        assertEquals("imported apify/actor-node:20 (1 layers)\n", imported.out());
        Cli.Result list = cli.run("images", "list");
        assertTrue(list.out().startsWith("apify/actor-node:20\t1 layers\t"), list.toString());
        Cli.Result deleted = cli.run("images", "delete", "apify/actor-node:20");
        assertEquals(0, deleted.status(), deleted.toString());
        Cli.Result again = cli.run("images", "delete", "apify/actor-node:20");
        assertTrue(again.status() != 0 && again.err().contains("apify/actor-node:20"), again.toString());
        Cli.Result bad = cli.run("images", "import", "Bad/Name", ref);
        assertTrue(bad.status() != 0 && bad.err().contains("Docker reference"), bad.toString());
    }
}
