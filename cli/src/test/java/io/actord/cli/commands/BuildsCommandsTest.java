package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.AgainstDaemon;
import io.actord.cli.testing.Cli;
import io.actord.daemon.testing.TestImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** builds create|list|get against a real daemon. */
class BuildsCommandsTest extends AgainstDaemon {
    @BeforeEach
    void start() {
        assertEquals(0, cli.run("actors", "create", "hello").status());
    }

    @Test
    void shouldBuildFromADirectoryWithTheShellForm() throws Exception {
        Cli.Result r = cli.run("builds", "create", "hello", daemon.rootfs().toString(), "--cmd", "echo hello");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("created build 0.0.1 of hello \\(id [A-Za-z0-9]{17}, tags latest\\)\n"), r.out());
        JsonNode build = daemon.api().get("/v2/acts/hello/builds").expect(200).data().get("items").get(0);
        assertEquals("[\"/bin/sh\",\"-c\",\"echo hello\"]", build.get("command").toString());
    }

    @Test
    void shouldTakeTheExecFormAsAJsonArrayAndSeveralTags() throws Exception {
        Cli.Result r = cli.run("builds", "create", "hello", "--rootfs", daemon.rootfs().toString(), "--cmd",
                "[\"exit\", \"3\"]", "--tag", "beta", "--tag", "latest");
        assertEquals(0, r.status(), r.toString());
        JsonNode build = daemon.api().get("/v2/acts/hello/builds").expect(200).data().get("items").get(0);
        assertEquals("[\"exit\",\"3\"]", build.get("command").toString());
        assertTrue(r.out().contains("tags beta,latest") || r.out().contains("tags latest,beta"), r.out());
    }

    @Test
    void shouldBuildFromATarFile() throws Exception {
        Path tar = dir.resolve("rootfs.tar");
        Process p = new ProcessBuilder("tar", "-cf", tar.toString(), "-C", daemon.rootfs().toString(), ".")
                .redirectErrorStream(true).start();
        assertEquals(0, p.waitFor());
        Cli.Result r = cli.run("builds", "create", "hello", tar.toString(), "--cmd", "echo hi");
        assertEquals(0, r.status(), r.toString());
    }

    @Test
    void shouldListAndShowBuilds() throws Exception {
        cli.run("builds", "create", "hello", daemon.rootfs().toString(), "--cmd", "echo one");
        cli.run("builds", "create", "hello", daemon.rootfs().toString(), "--cmd", "echo two", "--tag", "beta");
        Cli.Result list = cli.run("builds", "list", "hello");
        assertEquals(0, list.status(), list.toString());
        String[] lines = list.out().split("\n");
        assertEquals(3, lines.length, list.out());
        assertTrue(lines[0].startsWith("ID "), lines[0]);
        assertTrue(lines[1].contains("0.0.2") && lines[1].contains("beta") && lines[1].contains("echo two"), lines[1]);
        assertTrue(lines[2].contains("0.0.1") && lines[2].contains("latest"), lines[2]);
        String id = lines[1].split(" ")[0];
        Cli.Result get = cli.run("builds", "get", id);
        assertEquals(0, get.status(), get.toString());
        assertTrue(get.out().contains("Number:       0.0.2\n"), get.out());
        assertTrue(get.out().contains("Command:      /bin/sh -c echo two\n"), get.out());
    }

    @Test
    void shouldExplainABadRootfsInOneLine() {
        Cli.Result r = cli.run("builds", "create", "hello", dir.resolve("missing").toString(), "--cmd", "x");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
    }

    @Test
    void shouldBeAUsageErrorWithoutACommandOrWithTwoRootfs() throws Exception {
        Cli.Result noCmd = cli.run("builds", "create", "hello", daemon.rootfs().toString());
        assertEquals(ActordCli.ERROR, noCmd.status(), noCmd.toString());
        assertTrue(noCmd.err().startsWith("error: missing required option: '--cmd=CMD'"), noCmd.err());
        assertTrue(noCmd.err().contains("Usage: actorctl builds create"), noCmd.err());
        Cli.Result twice = cli.run("builds", "create", "hello", "a", "--rootfs", "b", "--cmd", "x");
        assertEquals(ActordCli.ERROR, twice.status(), twice.toString());
        Cli.Result none = cli.run("builds", "create", "hello", "--cmd", "x");
        assertEquals(ActordCli.ERROR, none.status(), none.toString());
        assertTrue(Files.exists(daemon.rootfs()));
    }

    @Test
    void shouldBuildFromAnImageWithItsOwnCommandAndDeleteIt() throws Exception {
        TestImages.Image image = TestImages.Image.of(List.of(new TestImages.Layer().file("app", "a", 0755).tar(),
                new TestImages.Layer().file("data", "d").tar())).withConfig(List.of("/app"), List.of("--serve"),
                List.of(), "/srv", null);
        Path layout = TestImages.writeDir(dir.resolve("layout"), TestImages.ociLayout(image, "v1",
                TestImages.Compression.GZIP));
        Cli.Result r = cli.run("builds", "create", "hello", "--image", "oci:" + layout + ":v1", "--version-number", "1.2");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().startsWith("created build 1.2.1 of hello"), r.out());
        JsonNode build = daemon.api().get("/v2/acts/hello/builds").expect(200).data().get("items").get(0);
        assertEquals("[\"/app\",\"--serve\"]", build.get("command").toString());
        String id = build.get("id").asText();
        Cli.Result get = cli.run("builds", "get", id);
        assertTrue(get.out().contains("Source:       oci:" + layout + ":v1\n"), get.out());
        assertTrue(get.out().contains("Layers:       2\n"), get.out());
        assertTrue(get.out().contains("Working dir:  /srv\n"), get.out());
        Cli.Result deleted = cli.run("builds", "delete", id);
        assertEquals(0, deleted.status(), deleted.toString());
        assertEquals("deleted build " + id + "\n", deleted.out());
        assertEquals(ActordCli.ERROR, cli.run("builds", "get", id).status());
    }

    @Test
    void shouldMakeAnImagePathAbsoluteAndKeepItsTag() {
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("oci:" + cwd + "/img/layout:v1", BuildsCreateCommand.absoluteImage("oci:img/layout:v1"));
        assertEquals("docker-archive:/srv/a.tar:app:1", BuildsCreateCommand.absoluteImage("docker-archive:/srv/a.tar:app:1"));
        Cli.Result both = cli.run("builds", "create", "hello", "--image", "oci:/x", "--rootfs", "/y");
        assertEquals(ActordCli.ERROR, both.status(), both.toString());
        Cli.Result bad = cli.run("builds", "create", "hello", "--image", "oci:/nonexistent/layout");
        assertEquals(ActordCli.ERROR, bad.status(), bad.toString());
        assertTrue(bad.err().startsWith("error: image 'oci:/nonexistent/layout': no such file"), bad.err());
    }

    @Test
    void shouldRejectAMalformedExecForm() throws Exception {
        Cli.Result r = cli.run("builds", "create", "hello", daemon.rootfs().toString(), "--cmd", "[\"exit\", 3]");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: --cmd starts with '[' but is not"), r.err());
    }
}
