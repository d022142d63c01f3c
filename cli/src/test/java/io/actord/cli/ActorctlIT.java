package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.testing.Actorctl;
import io.actord.cli.testing.ActordProcess;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged CLI ({@code bin/actorctl}) against the packaged daemon, each in its own process, as an admin
 * uses them: exit statuses, piped tables without escape codes, --json as the API sent it, bad input, the
 * class-data-sharing archive, and start-up times (printed, not checked). Needs no root: nothing here starts
 * a container that must succeed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ActorctlIT {
    @TempDir
    static Path dir;

    private static ActordProcess daemon;
    private static Actorctl cli;

    @BeforeAll
    static void start() throws Exception {
        daemon = ActordProcess.start(dir);
        cli = Actorctl.at(daemon.socket());
    }

    @AfterAll
    static void stop() {
        if (daemon != null) {
            daemon.close();
        }
    }

    @Test
    @Order(1)
    void shouldRegisterAnActorAndItsBuild() throws Exception {
        Path rootfs = Files.createDirectories(dir.resolve("rootfs/bin"));
        Files.writeString(rootfs.resolve("marker"), "x");
        Actorctl.Result create = cli.run("actors", "create", "hello", "--title", "Hello");
        assertEquals(0, create.status(), create.toString());
        assertTrue(create.out().startsWith("created actor local~hello (id "), create.out());
        Actorctl.Result build = cli.run("builds", "create", "hello", dir.resolve("rootfs").toString(), "--cmd",
                "echo hi");
        assertEquals(0, build.status(), build.toString());
        assertTrue(build.out().startsWith("created build 0.0.1 of hello"), build.out());
    }

    @Test
    @Order(2)
    void shouldPrintPlainTablesWhenPiped() throws Exception {
        Actorctl.Result list = cli.run("actors", "list");
        assertEquals(0, list.status(), list.toString());
        assertTrue(list.out().matches("ID +NAME +TITLE +CREATED +MODIFIED\n[A-Za-z0-9]{17} +local~hello +Hello +.*\n"),
                list.out());
        Actorctl.Result builds = cli.run("builds", "list", "hello");
        assertTrue(builds.out().contains("/bin/sh -c echo hi"), builds.out());
    }

    @Test
    @Order(3)
    void shouldPrintJsonAsTheApiSentIt() throws Exception {
        Actorctl.Result json = cli.run("actors", "get", "hello", "--json");
        assertEquals(0, json.status(), json.toString());
        assertEquals(daemon.api().get("/v2/acts/hello").text(), json.out().strip());
        JsonNode data = Json.MAPPER.readTree(json.out()).get("data");
        assertEquals("hello", data.get("name").asText());
        // The shaded jar carries jackson-jq and the built-in functions it finds with the ServiceLoader.
        Actorctl.Result jq = cli.run("actors", "list", "--jq", ".data.items | map(.name | ascii_upcase) | join(\",\")");
        assertEquals(0, jq.status(), jq.toString());
        assertEquals("HELLO\n", jq.out());
        assertEquals(data.get("id").asText() + "\n", cli.run("actors", "list", "-q").out());
    }

    @Test
    @Order(4)
    void shouldExitNonZeroWithTheStatusMessageWhenTheRunFails() throws Exception {
        // No container can run this build (no runtime in this branch's daemon, or a rootfs without a shell):
        // the run fails either way, and call says so and exits non-zero.
        Actorctl.Result call = cli.run("call", "hello", "--input", "{\"name\":\"Ada\"}");
        assertTrue(call.status() != 0, call.toString());
        String last = call.err().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.matches("error: run [A-Za-z0-9]{17} FAILED: .+"), call.toString());
        Actorctl.Result runs = cli.run("runs", "list", "--status", "FAILED");
        assertEquals(2, runs.out().split("\n").length, runs.toString());
    }

    @Test
    @Order(5)
    void shouldAnswerOverTcpAndShowTheDaemonsStatusOverTheSocketOnly() throws Exception {
        Actorctl.Result status = cli.run("daemon", "status", "--url", daemon.url(), "--socket", "");
        Actorctl.Result viaEnv = Actorctl.at(dir.resolve("unused.sock")).env("ACTORD_URL", daemon.url())
                .env("APIFY_TOKEN", daemon.token()).run("runs", "list", "--json");
        assertEquals(0, viaEnv.status(), viaEnv.toString());
        assertTrue(viaEnv.out().contains("\"items\""), viaEnv.out());
        Actorctl.Result tcpStatus = Actorctl.at(dir.resolve("unused.sock")).env("ACTORD_URL", daemon.url())
                .env("APIFY_TOKEN", daemon.token()).run("daemon", "status");
        assertEquals(ActordCli.ERROR, tcpStatus.status(), tcpStatus.toString());
        assertTrue(tcpStatus.err().contains("only over the daemon's admin Unix socket"), tcpStatus.toString());
        Actorctl.Result admin = cli.run("daemon", "status");
        assertTrue(admin.out().contains("Running runs:   0\n"), admin.out());
        assertEquals(ActordCli.ERROR, status.status(), "--socket and --url together are refused: " + status);
    }

    @Test
    @Order(6)
    void shouldGiveOneClearLineForBadInput() throws Exception {
        Actorctl.Result unknown = cli.run("frobnicate");
        assertEquals(ActordCli.ERROR, unknown.status(), unknown.toString());
        assertEquals("error: unknown command 'frobnicate'", unknown.err().lines().findFirst().orElseThrow());

        Actorctl.Result noDaemon = Actorctl.at(dir.resolve("nothing-here.sock")).run("runs", "list");
        assertEquals(ActordCli.ERROR, noDaemon.status(), noDaemon.toString());
        assertEquals(1, noDaemon.err().lines().count(), noDaemon.toString());
        assertTrue(noDaemon.err().startsWith("error: cannot reach the daemon at "), noDaemon.toString());

        Actorctl.Result file = cli.run("run", "hello", "--input", "@" + dir.resolve("missing.json"));
        assertEquals(ActordCli.ERROR, file.status(), file.toString());
        assertEquals("error: read --input file " + dir.resolve("missing.json") + ": no such file\n", file.err());

        Actorctl.Result json = cli.run("run", "hello", "--input", "{'name':'Ada'}");
        assertEquals(ActordCli.ERROR, json.status(), json.toString());
        assertTrue(json.err().startsWith("error: --input is not valid JSON: "), json.toString());

        Actorctl.Result missing = cli.run("runs", "get", "nosuchrun");
        assertEquals(ActordCli.ERROR, missing.status(), missing.toString());
        assertEquals("error: Actor run 'nosuchrun' was not found\n", missing.err());
    }

    @Test
    @Order(7)
    void shouldPrintACompletionScriptThatBashLoads() throws Exception {
        Actorctl.Result bash = cli.run("completion", "bash");
        assertEquals(0, bash.status(), bash.toString());
        Path script = dir.resolve("actorctl-completion.bash");
        Files.writeString(script, bash.out());
        Process p = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p actorctl")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("_complete_actorctl") && out.contains("actorctl"), out);
    }

    /** Start-up times are printed for the record; what is checked is that every fresh JVM answers. */
    @Test
    @Order(8)
    void shouldAnswerFromEveryFreshJvmAndReportHowQuickly() throws Exception {
        List<Long> help = new ArrayList<>();
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Actorctl.Result h = cli.run("--help");
            assertEquals(0, h.status(), h.toString());
            assertTrue(h.out().contains("Usage: actorctl"), h.out());
            help.add(h.millis());
            Actorctl.Result l = cli.run("runs", "list");
            assertEquals(0, l.status(), l.toString());
            list.add(l.millis());
        }
        System.out.println("actorctl start-up without the CDS archive (best of 5): --help "
                + help.stream().mapToLong(Long::longValue).min().orElseThrow() + " ms, runs list "
                + list.stream().mapToLong(Long::longValue).min().orElseThrow() + " ms");
    }

    /**
     * The archive is made in the background, and then used: the JVM loads actorctl's own classes from it
     * ("source: shared objects file" in its class-loading log), which it does only when it could map it.
     */
    @Test
    @Order(9)
    void shouldMakeAndUseAClassDataSharingArchive() throws Exception {
        Path cache = dir.resolve("cache");
        Actorctl withCds = Actorctl.at(daemon.socket()).env("ACTORCTL_CDS", "1").env("XDG_CACHE_HOME",
                cache.toString());
        Actorctl.Result first = withCds.run("runs", "list");
        assertEquals(0, first.status(), first.toString());
        Path archive = null;
        for (int i = 0; i < 600 && archive == null; i++) {
            archive = archive(cache.resolve("actord"));
            Thread.sleep(100);
        }
        assertTrue(archive != null, "no archive in 60 s");
        for (int i = 0; i < 300 && !leftovers(cache.resolve("actord")).isEmpty(); i++) {
            Thread.sleep(100);
        }
        assertEquals(List.of(), leftovers(cache.resolve("actord")), "the background job cleaned up and ended");
        Path classLog = dir.resolve("class-load.log");
        Actorctl.Result logged = Actorctl.at(daemon.socket()).env("ACTORCTL_CDS", "1")
                .env("XDG_CACHE_HOME", cache.toString())
                .env("ACTORD_JAVA_OPTS", "-Xlog:class+load=info:file=" + classLog).run("runs", "list");
        assertEquals(0, logged.status(), logged.toString());
        assertEquals(first.out().lines().count(), logged.out().lines().count(), logged.toString());
        String mainClass = Files.readAllLines(classLog).stream()
                .filter(l -> l.contains(" io.actord.cli.ActordCli ")).findFirst().orElse("(not loaded)");
        assertTrue(mainClass.contains("source: shared objects file"), "ActordCli loaded from the archive: " + mainClass);
        List<Long> help = new ArrayList<>();
        List<Long> list = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            help.add(withCds.run("--help").millis());
            Actorctl.Result r = withCds.run("runs", "list");
            assertEquals(first.out().lines().count(), r.out().lines().count(), r.toString());
            list.add(r.millis());
        }
        System.out.println("actorctl start-up with the CDS archive (best of 5): --help "
                + help.stream().mapToLong(Long::longValue).min().orElseThrow() + " ms, runs list "
                + list.stream().mapToLong(Long::longValue).min().orElseThrow() + " ms");
    }

    @Test
    @Order(10)
    void shouldGiveAUserATokenThatWorksOverTcpUntilTheUserIsDeleted() throws Exception {
        assertEquals(0, cli.run("users", "create", "ann").status());
        Actorctl.Result token = cli.run("tokens", "create", "ann");
        assertEquals(0, token.status(), token.toString());
        Actorctl ann = Actorctl.at(dir.resolve("unused.sock")).env("ACTORD_URL", daemon.url())
                .env("APIFY_TOKEN", token.out().strip());
        Actorctl.Result runs = ann.run("runs", "list");
        assertEquals(0, runs.status(), runs.toString());
        assertEquals(1, runs.out().lines().count(), "only the header: ann sees none of local's runs: " + runs.out());
        assertEquals(0, cli.run("users", "delete", "ann").status());
        Actorctl.Result refused = ann.run("runs", "list");
        assertEquals(ActordCli.ERROR, refused.status(), refused.toString());
        assertTrue(refused.err().contains("invalid-token"), refused.err());
    }

    private static Path archive(Path cache) throws Exception {
        if (!Files.isDirectory(cache)) {
            return null;
        }
        try (Stream<Path> files = Files.list(cache)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jsa")).findFirst().orElse(null);
        }
    }

    private static List<String> leftovers(Path cache) throws Exception {
        try (Stream<Path> files = Files.list(cache)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("actorctl-cds.")
                    && !n.equals("actorctl-cds.lock")).toList();
        }
    }
}
