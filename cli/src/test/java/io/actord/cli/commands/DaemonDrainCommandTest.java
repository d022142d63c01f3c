package io.actord.cli.commands;

import io.actord.cli.testing.Cli;
import io.actord.cli.testing.FakeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * daemon drain and undrain against the daemon's answer (the route itself is tested on daemons in a cluster, in the daemon module's
 * HostFailureTest).
 */
class DaemonDrainCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldListTheRunsTheDrainMoved() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("POST", "/v2/actord/daemon/drain", FakeApi.Answer.json(200, """
                    {"data":{"hostId":"host2","boundSecs":30,"total":2,"items":[
                    {"id":"run1","from":"RUNNING","to":"RUNNING","unplaced":true},
                    {"id":"run2","from":"READY","to":"READY","unplaced":true}]}}"""));
            Cli.Result r = Cli.at(dir.resolve("none")).run("daemon", "drain", "--url", api.url());
            assertEquals(0, r.status(), r.toString());
            String[] lines = r.out().split("\n");
            assertEquals(3, lines.length, r.out());
            assertTrue(lines[0].matches("RUN\\s+WAS\\s+NOW\\s+WHERE"), lines[0]);
            assertTrue(lines[1].matches("run1\\s+RUNNING\\s+RUNNING\\s+waits for another host"), lines[1]);
            assertTrue(r.err().contains("host2 is drained: 2 run(s) moved, each given up to 30 s to persist its state"),
                    r.err());
        }
    }

    @Test
    void shouldEndTheDrain() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("DELETE", "/v2/actord/daemon/drain", FakeApi.Answer.json(200, """
                    {"data":{"hostId":"host2","claiming":true}}"""));
            Cli.Result r = Cli.at(dir.resolve("none")).run("daemon", "undrain", "--url", api.url());
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.err().contains("host2 is no longer drained: it claims runs again"), r.err());
        }
    }

    @Test
    void shouldSayWhenTheDaemonIsNotInACluster() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("POST", "/v2/actord/daemon/drain", FakeApi.Answer.json(400, """
                    {"error":{"type":"invalid-request","message":"This daemon is not a member of a cluster, so there is\
                     no other host to move its runs to"}}"""));
            Cli.Result r = Cli.at(dir.resolve("none")).run("daemon", "drain", "--url", api.url());
            assertEquals(125, r.status(), r.toString());
            assertTrue(r.err().startsWith("error: This daemon is not a member of a cluster"), r.err());
        }
    }
}
