package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ActordCli;
import io.actord.cli.testing.Cli;
import io.actord.cli.testing.DaemonFixture;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code actorctl daemon backup DIR} against a real daemon: written over the admin socket, refused elsewhere. */
class DaemonBackupCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteABackupAndSayWhatIsInIt() throws Exception {
        try (DaemonFixture daemon = DaemonFixture.start(dir.resolve("daemon"))) {
            daemon.finishedRun(daemon.actor("hello", "echo", "hi"));
            Path target = dir.resolve("backup");
            Cli.Result r = daemon.cli().run("daemon", "backup", target.toString());
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.out().contains("Backup:") && r.out().contains(target.toString()), r.out());
            assertTrue(r.out().matches("(?s).*Actors: +1\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*Runs: +1\n.*"), r.out());
            assertTrue(r.out().matches("(?s).*Layers: +1 \\(hard links\\)\n.*"), r.out());
            assertTrue(Files.exists(target.resolve("manifest.json")));

            Cli.Result again = daemon.cli().run("daemon", "backup", target.toString());
            assertEquals(ActordCli.ERROR, again.status(), again.toString());
            assertTrue(again.err().contains("is not empty"), again.toString());

            Cli.Result json = daemon.cli().run("daemon", "backup", "--json", dir.resolve("json").toString());
            assertEquals(0, json.status(), json.toString());
            JsonNode m = Json.MAPPER.readTree(json.outBytes()).get("data");
            assertEquals("actord-backup", m.get("format").asText());
        }
    }

    @Test
    void shouldBeRefusedOverTcp() throws Exception {
        try (DaemonFixture daemon = DaemonFixture.start(dir.resolve("daemon"))) {
            Cli.Result tcp = Cli.at(dir.resolve("none")).run("daemon", "backup", dir.resolve("tcp").toString(),
                    "--url", "http://127.0.0.1:" + daemon.tcpPort(), "--token", daemon.token());
            assertEquals(ActordCli.ERROR, tcp.status(), tcp.toString());
            assertTrue(tcp.err().contains("only over the daemon's admin Unix socket"), tcp.toString());
            assertFalse(Files.exists(dir.resolve("tcp")));
        }
    }
}
