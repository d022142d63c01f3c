package io.actord.cli;

import io.actord.cli.testing.Cli;
import io.actord.cli.testing.DaemonFixture;
import io.actord.cli.testing.FakeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input of every kind gives one clear line (usage errors add the help) and the right exit status,
 * never a stack trace (which {@link Cli} checks on every run).
 */
class BadInputTest {
    @TempDir
    Path dir;

    private Cli cli() {
        return Cli.at(dir.resolve("actord.sock"));
    }

    @Test
    void shouldNameAnUnknownCommandAndShowTheHelp() {
        Cli.Result r = cli().run("frobnicate");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertEquals("error: unknown command 'frobnicate'", r.err().lines().findFirst().orElseThrow());
        assertTrue(r.err().contains("Usage: actorctl "), r.err());
        Cli.Result typo = cli().run("runz", "list");
        assertEquals(ActordCli.ERROR, typo.status());
        assertTrue(typo.err().contains("Did you mean: actorctl run or actorctl runs?"), typo.err());
        Cli.Result sub = cli().run("runs", "frobnicate");
        assertEquals(ActordCli.ERROR, sub.status());
        assertTrue(sub.err().startsWith("error: unknown command 'frobnicate'\n"), sub.err());
        assertTrue(sub.err().contains("Usage: actorctl runs "), sub.err());
    }

    @Test
    void shouldBeAUsageErrorWithoutAVerbOrWithAnUnknownOption() {
        Cli.Result noVerb = cli().run("runs");
        assertEquals(ActordCli.ERROR, noVerb.status());
        assertTrue(noVerb.err().startsWith("error: missing required subcommand"), noVerb.err());
        Cli.Result option = cli().run("runs", "list", "--frob");
        assertEquals(ActordCli.ERROR, option.status());
        assertTrue(option.err().startsWith("error: unknown option: '--frob'"), option.err());
        Cli.Result type = cli().run("run", "hello", "--memory", "lots");
        assertEquals(ActordCli.ERROR, type.status());
        assertTrue(type.err().startsWith("error: invalid value for option '--memory': 'lots' is not a long"), type.err());
        assertEquals(ActordCli.ERROR, cli().run("completion", "fish").status());
    }

    @Test
    void shouldPrintHelpAndVersionOnStdout() {
        Cli.Result help = cli().run("--help");
        assertEquals(0, help.status());
        assertTrue(help.out().startsWith("Usage: actorctl "), help.out());
        for (String command : new String[]{"actors", "builds", "run", "call", "runs", "kv", "dataset", "queue", "daemon",
                "completion", "system", "cluster", "api", "login", "logout"}) {
            assertTrue(help.out().contains("\n  " + command + " "), command + " in " + help.out());
        }
        assertFalse(help.out().contains("__complete"), "the completion helper is hidden: " + help.out());
        assertTrue(help.out().contains("Exit status: 0 ok; 125 an error of actorctl's own"), help.out());
        Cli.Result sub = cli().run("runs", "list", "--help");
        assertEquals(0, sub.status());
        assertTrue(sub.out().startsWith("Usage: actorctl runs list "), sub.out());
        assertTrue(sub.out().contains("--status=STATUS"), sub.out());
        Cli.Result bare = cli().run();
        assertEquals(0, bare.status());
        assertTrue(bare.out().startsWith("Usage: actorctl "), bare.out());
        Cli.Result version = cli().run("--version");
        assertEquals(0, version.status());
        // The build's version (build.properties, filtered by Maven), with the commit when built from git.
        assertTrue(version.out().matches("actorctl \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?(\\+[0-9a-f]{7,40}(\\.dirty)?)?\n"),
                version.out());
    }

    @Test
    void shouldSayTheDaemonIsNotRunning() {
        Cli.Result r = cli().run("runs", "list");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertEquals("", r.out());
        assertEquals("error: cannot reach the daemon at " + dir.resolve("actord.sock")
                + ": No such file or directory (is actord running? point --socket or ACTORD_SOCKET at its socket)\n",
                r.err());
    }

    @Test
    void shouldSayNothingListensOnAStaleSocket() throws Exception {
        Path stale = dir.resolve("stale.sock");
        try (var channel = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.bind(java.net.UnixDomainSocketAddress.of(stale));
        }
        Cli.Result r = Cli.at(stale).run("actors", "list");
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: cannot reach the daemon at " + stale + ": Connection refused"), r.err());
        assertEquals(1, r.err().lines().count());
    }

    @Test
    void shouldSayTheTcpDaemonIsNotRunning() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cli.Result r = cli().run("runs", "list", "--url", "http://127.0.0.1:" + port);
        assertEquals(ActordCli.ERROR, r.status(), r.toString());
        assertTrue(r.err().startsWith("error: cannot reach the daemon at http://127.0.0.1:" + port
                + ": Connection refused (is actord running and listening there?)"), r.err());
    }

    @Test
    void shouldSayTheTokenWasRefused() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/v2/actor-runs?limit=50&offset=0&desc=1", FakeApi.Answer.json(401,
                    "{\"error\":{\"type\":\"invalid-token\",\"message\":\"Authentication token is not valid\"}}"));
            Cli.Result r = cli().env("APIFY_TOKEN", "wrong").run("runs", "list", "--url", api.url());
            assertEquals(ActordCli.ERROR, r.status(), r.toString());
            assertEquals("error: the daemon refused the request (invalid-token): Authentication token is not valid;"
                    + " check --token or APIFY_TOKEN\n", r.err());
            assertEquals("Bearer wrong", api.last().header("Authorization"));
            cli().run("runs", "list", "--url", api.url(), "--token", "flag-wins");
            assertEquals("Bearer flag-wins", api.last().header("Authorization"));
        }
    }

    @Test
    void shouldExplainAnAnswerThatIsNotJson() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/v2/actor-runs?limit=50&offset=0&desc=1", new FakeApi.Answer(502, "text/html",
                    "<html>Bad gateway</html>\n<p>more</p>".getBytes(), java.util.Map.of()));
            api.on("GET", "/v2/acts?limit=50&offset=0", new FakeApi.Answer(200, "application/json",
                    "{\"data\": [1,".getBytes(), java.util.Map.of()));
            Cli.Result r = cli().run("runs", "list", "--url", api.url());
            assertEquals(ActordCli.ERROR, r.status(), r.toString());
            assertEquals("error: the daemon answered HTTP 502: <html>Bad gateway</html>\n", r.err());
            Cli.Result broken = cli().run("actors", "list", "--url", api.url());
            assertEquals(ActordCli.ERROR, broken.status(), broken.toString());
            assertTrue(broken.err().startsWith("error: the daemon answered HTTP 200 with a body that is not JSON: "),
                    broken.err());
        }
    }

    @Test
    void shouldRefuseBothSocketAndUrlAndABadUrl() {
        Cli.Result both = cli().run("runs", "list", "--url", "http://127.0.0.1:1", "--socket", "/x");
        assertEquals(ActordCli.ERROR, both.status());
        assertEquals("error: give either --socket or --url, not both\n", both.err());
        Cli.Result https = cli().run("runs", "list", "--url", "https://example.org");
        assertEquals(ActordCli.ERROR, https.status());
        assertTrue(https.err().startsWith("error: --url 'https://example.org': https is not supported"), https.err());
    }

    @Test
    void shouldSayAnInputFileIsUnreadable() throws Exception {
        Path secret = dir.resolve("secret.json");
        Files.writeString(secret, "{}");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("---------"));
        try (DaemonFixture daemon = DaemonFixture.start(dir.resolve("d"))) {
            daemon.actor("hello", "echo", "hi");
            Cli.Result missing = daemon.cli().run("call", "hello", "--input", "@/nonexistent/input.json");
            assertEquals(ActordCli.ERROR, missing.status());
            assertEquals("error: read --input file /nonexistent/input.json: no such file\n", missing.err());
            Cli.Result directory = daemon.cli().run("call", "hello", "--input", "@" + dir);
            assertEquals(ActordCli.ERROR, directory.status());
            assertTrue(directory.err().startsWith("error: read --input file " + dir + ": "), directory.err());
            if (!io.actord.cgroups.testing.Host.isRoot()) {
                Cli.Result denied = daemon.cli().run("call", "hello", "--input", "@" + secret);
                assertEquals("error: read --input file " + secret + ": permission denied\n", denied.err());
            }
            Cli.Result invalid = daemon.cli().run("call", "hello", "--input", "{\"name\": Ada}");
            assertEquals(ActordCli.ERROR, invalid.status());
            assertTrue(invalid.err().startsWith("error: --input is not valid JSON: "), invalid.err());
        }
    }
}
