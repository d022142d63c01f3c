package io.actord.daemon.network;

import io.actord.daemon.common.Json;
import io.actord.daemon.testing.DaemonProcess;
import io.actord.daemon.testing.EgressDaemon;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.RootfsCopies;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.TestNetworks;
import io.actord.runtime.testing.FakeInternet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code kill -9} of a daemon with networked runs alive, then a restart: the runs keep their network (bridge,
 * address, rules) and get their DNS back; a run that ended meanwhile gives its address back; once all have
 * ended and the daemon stops, nothing of the network is left.
 */
@Tag("privileged")
class EgressRecoveryIT {
    @TempDir
    Path dir;
    private String subtree;
    private FakeInternet internet;

    @BeforeEach
    void check() throws Exception {
        String reason = ItRuntime.unavailableReason().orElse(Files.exists(DaemonProcess.JAR) ? null
                : DaemonProcess.JAR + " is not built (run mvn package first)");
        if (reason != null) {
            System.out.println("SKIPPED EgressRecoveryIT: " + reason);
        }
        assumeTrue(reason == null, "SKIPPED EgressRecoveryIT: " + reason);
        subtree = ItRuntime.subtree();
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("index.html"), "welcome to site.test\n");
        internet = FakeInternet.start(site);
    }

    @AfterEach
    void release() {
        if (subtree != null) {
            ItRuntime.releaseSubtree(subtree);
        }
        if (internet != null) {
            internet.close();
        }
    }

    @Test
    void shouldKeepRunsOnTheNetworkAcrossAKill9AndLeaveNothingAfterThem() throws Exception {
        List<String> flags = new ArrayList<>(TestNetworks.egressFlags(internet.ranges(), internet.dnsAddress(),
                List.of()));
        flags.addAll(List.of("--cgroup-subtree", subtree));
        String[] args = flags.toArray(String[]::new);
        String bridge = flags.get(flags.indexOf("--bridge") + 1);
        int port = DaemonProcess.freePort();
        Path rootfs = RootfsCopies.resolving(dir.resolve("rootfs"));
        List<String> alive = new ArrayList<>();
        String brief;
        try (DaemonProcess first = DaemonProcess.start(dir, port, args)) {
            String actor = actor(first, "fetcher", rootfs,
                    "while true; do wget -q -O /dev/null http://site.test/ && echo reached; sleep 0.3; done");
            for (int i = 0; i < 5; i++) {
                alive.add(startRun(first, actor));
            }
            for (String run : alive) {
                awaitLog(first, run, 1);
            }
            brief = startRun(first, actor(first, "brief", rootfs, "sleep 3"));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!first.api().get("/v2/actor-runs/" + brief).data().get("status").asText().equals("RUNNING")) {
                assertTrue(System.nanoTime() < deadline, "the brief run never started:\n" + first.log());
                Thread.sleep(50);
            }
            first.kill9();
        }
        Thread.sleep(5000);
        assertEquals(6, ipamFiles().size(), "the addresses stay allocated while no daemon watches");
        try (DaemonProcess second = DaemonProcess.start(dir, port, args)) {
            assertEquals("SUCCEEDED", second.api().get("/v2/actor-runs/" + brief + "?waitForFinish=30").expect(200)
                    .data().get("status").asText(), second.log());
            for (String run : alive) {
                assertEquals("RUNNING", second.api().get("/v2/actor-runs/" + run).expect(200).data().get("status")
                        .asText(), second.log());
                int before = count(second, run);
                awaitLog(second, run, before + 2);
            }
            assertEquals(5, ipamFiles().size(), "the run that ended while the daemon was away gave its address back");
            for (String run : alive) {
                second.api().post("/v2/actor-runs/" + run + "/abort", "").expect(200);
            }
            for (String run : alive) {
                second.api().get("/v2/actor-runs/" + run + "?waitForFinish=30").expect(200);
            }
        }
        assertEquals(List.of(), ipamFiles(), "no address left");
        assertFalse(Files.exists(Path.of("/sys/class/net", bridge)), "bridge removed at a stop with no run left");
    }

    private String actor(DaemonProcess d, String name, Path rootfs, String script) throws Exception {
        String actor = d.api().post("/v2/acts", "{\"name\":\"" + name + "\"}").expect(201).data().get("id").asText();
        TestDaemon.unixPost(dir.resolve("api.sock"), "/v2/acts/" + actor + "/builds", Json.MAPPER.writeValueAsString(
                Map.of("rootfs", rootfs.toString(), "cmd", List.of("/bin/sh", "-c", script)))).expect(201);
        return actor;
    }

    private static String startRun(DaemonProcess d, String actor) {
        return d.api().post("/v2/acts/" + actor + "/runs", "").expect(201).data().get("id").asText();
    }

    private static int count(DaemonProcess d, String run) {
        return (int) d.api().get("/v2/logs/" + run).text().lines().filter(l -> l.endsWith("reached")).count();
    }

    /** Waits until the run's log says "reached" at least {@code n} times. */
    private static void awaitLog(DaemonProcess d, String run, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (count(d, run) < n) {
            assertTrue(System.nanoTime() < deadline, "run " + run + " never reached site.test " + n + " times:\n"
                    + d.api().get("/v2/logs/" + run).text() + "\n" + d.log());
            Thread.sleep(100);
        }
    }

    private List<String> ipamFiles() {
        return EgressDaemon.ipamFiles(dir);
    }
}
