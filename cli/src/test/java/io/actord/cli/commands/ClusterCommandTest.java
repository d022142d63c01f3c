package io.actord.cli.commands;

import io.actord.cli.testing.Cli;
import io.actord.cli.testing.FakeApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * cluster hosts against the daemon's answer (the route itself is tested on daemons in a real cluster, in the daemon
 * module's ClusterRoutesTest).
 */
class ClusterCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldListTheHostsAndSayWhereThisOneStands() throws Exception {
        String now = Instant.now().toString();
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/v2/actord/cluster/hosts", FakeApi.Answer.json(200, """
                    {"data":{"hostId":"host1","phase":"MEMBER","since":"%s","reason":null,"leaseTtlSecs":10,"total":2,
                    "items":[{"hostId":"host1","apiUrl":"http://10.0.0.1:7070","capacityMbytes":16384,
                    "freeMbytes":15360,"updatedAt":"%s"},{"hostId":"host2","apiUrl":"http://10.0.0.2:7070",
                    "capacityMbytes":8192,"freeMbytes":8192,"drained":true,"updatedAt":"%s"}]}}""".formatted(now, now,
                    now)));
            Cli.Result r = Cli.at(dir.resolve("none")).run("cluster", "hosts", "--url", api.url());
            assertEquals(0, r.status(), r.toString());
            String[] lines = r.out().split("\n");
            assertEquals(3, lines.length, r.out());
            assertTrue(lines[0].matches("HOST\\s+API\\s+CAPACITY\\s+FREE\\s+UPDATED"), lines[0]);
            assertTrue(lines[1].matches("host1 \\(this host\\)\\s+http://10.0.0.1:7070\\s+16384 MB\\s+15360 MB\\s+just"
                    + " now"), lines[1]);
            assertTrue(lines[2].matches("host2 \\(drained\\)\\s+http://10.0.0.2:7070\\s+8192 MB\\s+8192 MB\\s+just"
                    + " now"), lines[2]);
            assertTrue(r.err().contains("host1 is MEMBER since just now (lease TTL 10 s)"), r.err());

            Cli.Result json = Cli.at(dir.resolve("none")).run("cluster", "hosts", "--url", api.url(), "-o", "json");
            assertEquals(0, json.status(), json.toString());
            assertTrue(json.out().contains("\"freeMbytes\":15360"), json.out());
        }
    }

    @Test
    void shouldSayWhenThisHostTakesNoRuns() throws Exception {
        String now = Instant.now().toString();
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/v2/actord/cluster/hosts", FakeApi.Answer.json(200, """
                    {"data":{"hostId":"host1","phase":"MEMBER","since":"%s","reason":null,"leaseTtlSecs":10,
                    "claiming":false,"total":0,"items":[]}}""".formatted(now)));
            Cli.Result r = Cli.at(dir.resolve("none")).run("cluster", "hosts", "--url", api.url());
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.err().contains("host1 is MEMBER since just now (lease TTL 10 s); it takes no runs (out, or"
                    + " drained)"), r.err());
        }
    }

    @Test
    void shouldSayWhenTheDaemonIsNotInACluster() throws Exception {
        try (FakeApi api = FakeApi.start()) {
            api.on("GET", "/v2/actord/cluster/hosts", FakeApi.Answer.json(404, """
                    {"error":{"type":"record-not-found","message":"This daemon is not a member of a cluster (start it\
                     with --cluster etcd://HOST:PORT and --state postgres://…)"}}"""));
            Cli.Result r = Cli.at(dir.resolve("none")).run("cluster", "hosts", "--url", api.url());
            assertEquals(125, r.status(), r.toString());
            assertTrue(r.err().startsWith("error: This daemon is not a member of a cluster"), r.err());
        }
    }
}
