package io.actord.daemon.network;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.testing.EgressDaemon;
import io.actord.daemon.testing.ItRuntime;
import io.actord.daemon.testing.TestDaemon;
import io.actord.daemon.testing.RootfsCopies;
import io.actord.runtime.network.Cidr;
import io.actord.runtime.network.EgressPolicy;
import io.actord.runtime.testing.FakeInternet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs on the egress network against a fake internet of the test's own (a namespace serving site.test on
 * TEST-NET addresses): every daemon here denies everything but the fake internet and sends DNS to its server
 * only, so nothing a run does leaves the machine.
 */
@Tag("privileged")
class EgressIT {
    private static final int BIG = 10 * 1024 * 1024;

    @TempDir
    static Path shared;
    static FakeInternet internet;
    static Path rootfs;

    @TempDir
    Path dir;
    private EgressDaemon egress;
    private TestDaemon daemon;

    @BeforeAll
    static void startInternet() throws IOException {
        if (ItRuntime.unavailableReason().isPresent()) {
            return;
        }
        Path site = Files.createDirectories(shared.resolve("site"));
        Files.writeString(site.resolve("index.html"), "welcome to site.test\n");
        FakeInternet.writeFile(site, "big", BIG);
        internet = FakeInternet.start(site);
        rootfs = RootfsCopies.resolving(shared.resolve("rootfs"));
    }

    @AfterAll
    static void stopInternet() {
        if (internet != null) {
            internet.close();
        }
    }

    @BeforeEach
    void check() {
        String reason = ItRuntime.unavailableReason().orElse(null);
        if (reason != null) {
            System.out.println("SKIPPED EgressIT: " + reason);
        }
        assumeTrue(reason == null, "SKIPPED EgressIT: " + reason);
    }

    @AfterEach
    void stop() {
        if (egress != null) {
            egress.close();
        }
    }

    private void start(List<Cidr> extraAllow) {
        egress = EgressDaemon.start(dir, internet, extraAllow);
        daemon = egress.daemon();
    }

    @Test
    void shouldResolveAndFetchTheFakeSiteOnlyInEgressMode() throws Exception {
        start(List.of());
        String actor = daemon.actor("fetch", rootfs, List.of("/bin/sh", "-c",
                "nslookup site.test; wget -q -O - http://site.test/; echo wget=$?;"
                        + " a=$(ip -4 -o addr show dev eth0 | sed 's|.* inet \\([0-9.]*\\)/.*|\\1|'); cat /etc/hosts;"
                        + " grep -q \"^$a\t$(hostname)$\" /etc/hosts; echo hosts $a $(hostname)=$?"));
        JsonNode egress = run(actor, "");
        String log = log(egress);
        assertEquals("SUCCEEDED", egress.get("status").asText(), log);
        assertEquals("egress", egress.get("options").get("network").asText());
        assertTrue(log.contains(internet.webAddress().getHostAddress()), "site.test resolved: " + log);
        assertTrue(log.contains("welcome to site.test") && log.contains("wget=0"), log);
        assertTrue(log.matches("(?s).*hosts 10\\.\\d+\\.\\d+\\.\\d+ \\S+=0.*"), "/etc/hosts names the run with its"
                + " address: " + log);
        assertTrue(egress.get("stats").get("netRxBytes").asLong() > 0, egress.toString());

        long started = System.nanoTime();
        JsonNode isolated = run(actor, "network=isolated");
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String isolatedLog = log(isolated);
        assertEquals("isolated", isolated.get("options").get("network").asText());
        assertFalse(isolatedLog.contains("welcome to site.test"), isolatedLog);
        assertTrue(isolatedLog.contains("wget=1"), isolatedLog);
        System.out.println("EgressIT: the isolated run failed to fetch and ended in " + took.toMillis() + " ms");
    }

    @Test
    void shouldRefuseTheHostPrivateRangesAndMetadataButAllowWhatTheOperatorAllows() throws Exception {
        InetAddress privateSite = internet.privateAddress();
        start(List.of(Cidr.parse(privateSite.getHostAddress() + "/32")));
        List<String> denied = new ArrayList<>();
        for (InetAddress a : EgressPolicy.hostAddresses()) {
            if (a instanceof Inet4Address && !a.isLoopbackAddress() && !internet.ranges().stream().anyMatch(c -> c.contains(a))) {
                denied.add(a.getHostAddress());
            }
        }
        denied.add("169.254.169.254");
        StringBuilder script = new StringBuilder("gw=$(ip route | awk '/default/ {print $3}'); echo gateway=$gw;"
                + " wget -q -O - http://$gw/; echo denied $gw=$?;");
        for (String a : denied) {
            script.append(" wget -q -O - http://").append(a).append("/; echo denied ").append(a).append("=$?;");
        }
        script.append(" wget -q -O - http://").append(privateSite.getHostAddress()).append("/; echo allowed=$?;");
        script.append(" ip link set eth0 down; echo linkdown=$?; ip addr add 10.1.2.3/32 dev lo; echo addr=$?;"
                + " grep CapEff /proc/self/status");
        String actor = daemon.actor("policy", rootfs, List.of("/bin/sh", "-c", script.toString()));
        JsonNode run = run(actor, "");
        String log = log(run);
        for (String line : log.lines().toList()) {
            if (line.contains("denied ")) {
                assertTrue(line.matches(".*denied \\S+=1$"), "connection refused by the policy: " + line + "\n" + log);
            }
        }
        assertTrue(log.contains("allowed=0"), "--egress-allow makes the private address reachable: " + log);
        assertTrue(log.contains("linkdown=1") || log.contains("linkdown=2"), log);
        assertFalse(log.contains("addr=0"), log);
        String capEff = log.lines().filter(l -> l.contains("CapEff")).findFirst().orElseThrow();
        long caps = Long.parseLong(capEff.replaceAll(".*CapEff:\\s*", "").trim(), 16);
        assertEquals(0, caps & (1L << 12), "no CAP_NET_ADMIN: the run cannot flush or change its nft rules");
    }

    /**
     * The run, root in its container, has the host's nft and iptables (both iptables-nft and -legacy) and
     * tries to flush its rules: every attempt is refused by the kernel (no CAP_NET_ADMIN), and afterwards
     * the private address is still refused and the fake site still reachable.
     */
    @Test
    void shouldKeepThePolicyWhenTheRunTriesToFlushItWithNftAndIptables() throws Exception {
        Path firewall = RootfsCopies.resolving(dir.resolve("firewall-rootfs"));
        RootfsCopies.addHostBinary(firewall, Path.of("/usr/sbin/nft"));
        RootfsCopies.addHostBinary(firewall, Path.of("/usr/sbin/xtables-nft-multi"), "iptables");
        RootfsCopies.addHostBinary(firewall, Path.of("/usr/sbin/xtables-legacy-multi"), "iptables-legacy");
        start(List.of());
        String privateSite = internet.privateAddress().getHostAddress();
        String actor = daemon.actor("flush", firewall, List.of("/bin/sh", "-c", "echo uid=$(id -u); mkdir -p /run;"
                + " /usr/sbin/nft --version; echo nftversion=$?; /usr/sbin/iptables --version; echo iptversion=$?;"
                + " /usr/sbin/nft flush ruleset; echo nft=$?;"
                + " /usr/sbin/iptables -F; echo iptables=$?;"
                + " /usr/sbin/iptables -P OUTPUT ACCEPT; echo policy=$?;"
                + " /usr/sbin/iptables-legacy -F; echo legacy=$?;"
                + " wget -q -O - http://" + privateSite + "/; echo private=$?;"
                + " wget -q -O - http://site.test/; echo site=$?"));
        JsonNode run = run(actor, "");
        // The log's lines without their timestamps.
        String log = log(run).replaceAll("(?m)^\\S+Z ", "");
        System.out.println("EgressIT: the run's attempts to flush its rules:\n" + log);
        assertTrue(log.contains("uid=0"), "root in the run: " + log);
        assertTrue(log.contains("nftversion=0") && log.contains("iptversion=0"), "the tools run in the rootfs: " + log);
        assertTrue(log.contains("Error: Could not process rule: Operation not permitted\nflush ruleset"),
                "nft is refused by the kernel: " + log);
        for (String attempt : List.of("nft", "iptables", "policy", "legacy")) {
            String exit = log.lines().filter(l -> l.startsWith(attempt + "=")).findFirst().orElseThrow();
            assertFalse(exit.equals(attempt + "=0"), attempt + " failed: " + log);
        }
        // iptables says EPERM from the kernel as "Permission denied (you must be root)".
        for (String flavour : List.of("(nf_tables)", "(legacy)")) {
            assertTrue(log.lines().anyMatch(l -> l.contains(flavour) && l.matches(".*(Permission denied|Operation not"
                    + " permitted).*")), "iptables " + flavour + " is refused by the kernel: " + log);
        }
        assertTrue(log.contains("private=1"), "the private address is still refused: " + log);
        assertTrue(log.contains("welcome to site.test") && log.contains("site=0"), "the fake site still reachable: "
                + log);
    }

    /**
     * An address outside what the test daemon allows, yet routed to the test's own namespace (so a leak could
     * never reach the world): the fake end of its veth. Counters there see what arrives; a connection and a
     * datagram from the host prove they count, the run's must add nothing: neither a connection, nor a
     * datagram built on a packet socket, whose frames no nft rule of the run sees (EgressPolicyIT), so the
     * run must not be able to open one (no CAP_NET_RAW). The fetch of site.test before it makes the gateway's
     * MAC known, as an attacker would.
     */
    @Test
    void shouldLetNothingOutToAnAddressOutsideTheFakeInternet() throws Exception {
        start(List.of());
        String hostEnd = sh("ip -4 -o addr show dev " + internet.hostInterface()).replaceAll(".*inet (\\S+)/.*", "$1")
                .trim();
        String[] octets = hostEnd.split("\\.");
        String fakeEnd = octets[0] + "." + octets[1] + "." + octets[2] + "." + (Integer.parseInt(octets[3]) + 1);
        String ns = "ip netns exec " + internet.netnsName() + " ";
        sh(ns + "nft add table ip actord_probe");
        sh(ns + "nft add chain ip actord_probe in '{ type filter hook prerouting priority -300; }'");
        sh(ns + "nft add rule ip actord_probe in tcp dport 9 counter");
        sh(ns + "nft add rule ip actord_probe in udp dport 9 counter");
        sh("timeout 3 bash -c 'exec 3<>/dev/tcp/" + fakeEnd + "/9' || true");
        sh("echo x > /dev/udp/" + fakeEnd + "/9");
        long fromHost = probePackets(ns, "tcp");
        long datagramsFromHost = probePackets(ns, "udp");
        assertTrue(fromHost >= 1, "the probe counts a connection from the host: " + fromHost);
        assertEquals(1, datagramsFromHost, "the probe counts a datagram from the host");
        String actor = daemon.actor("leak", rootfs, List.of("/bin/sh", "-c",
                "nc -w 3 " + fakeEnd + " 9 </dev/null; echo nc=$?; wget -q -O /dev/null http://site.test/;"
                        + " /bin/escape raw-udp eth0 " + fakeEnd + " 9"));
        JsonNode run = run(actor, "");
        assertTrue(log(run).contains("nc=1"), log(run));
        assertEquals(fromHost, probePackets(ns, "tcp"), "no connection from the run arrived at " + fakeEnd);
        assertEquals(datagramsFromHost, probePackets(ns, "udp"), "no datagram from the run arrived at " + fakeEnd);
        assertTrue(log(run).contains("probe raw-udp EPERM"), "root in the run opens no packet socket: " + log(run));
    }

    /** The packets the probe's counter for {@code protocol} dport 9 has seen. */
    private static long probePackets(String ns, String protocol) throws IOException {
        String rule = sh(ns + "nft list table ip actord_probe").lines()
                .filter(l -> l.contains(protocol + " dport 9")).findFirst().orElseThrow();
        return Long.parseLong(rule.replaceAll(".*counter packets (\\d+).*", "$1"));
    }

    private static String sh(String command) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    @Test
    void shouldCountTheBytesOfADownload() throws Exception {
        start(List.of());
        String actor = daemon.actor("download", rootfs, List.of("/bin/sh", "-c",
                "wget -q -O /dev/null http://site.test/big; echo wget=$?"));
        JsonNode run = run(actor, "");
        assertTrue(log(run).contains("wget=0"), log(run));
        long rx = run.get("stats").get("netRxBytes").asLong();
        System.out.println("EgressIT: a 10 MiB download counted netRxBytes=" + rx + " netTxBytes="
                + run.get("stats").get("netTxBytes").asLong());
        assertTrue(Math.abs(rx - BIG) <= BIG * 0.05, "netRxBytes " + rx + " within 5 % of " + BIG);
    }

    @Test
    void shouldLeaveNothingBehindAfterManyRunsInARowAndAtOnce() throws Exception {
        start(List.of());
        String actor = daemon.actor("churn", rootfs, List.of("/bin/sh", "-c", "ip -4 addr show eth0 | grep -q inet"));
        for (int i = 0; i < 200; i++) {
            JsonNode run = run(actor, "");
            assertEquals("SUCCEEDED", run.get("status").asText(), "run " + i + ": " + log(run));
        }
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<JsonNode>> runs = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                runs.add(pool.submit(() -> run(actor, "")));
            }
            for (Future<JsonNode> f : runs) {
                assertEquals("SUCCEEDED", f.get().get("status").asText(), f.get().toString());
            }
        } finally {
            pool.shutdown();
        }
        // A run's status is stored before its container is torn down: wait for the last teardowns.
        String bridge = egress.flag("--bridge");
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while ((bridgePorts(bridge) > 0 || !egress.ipamFiles().isEmpty()) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, bridgePorts(bridge), "no port left on " + bridge);
        assertEquals(List.of(), egress.ipamFiles(), "no address left allocated");
    }

    private static long bridgePorts(String bridge) throws IOException {
        try (var ports = Files.list(Path.of("/sys/class/net", bridge, "brif"))) {
            return ports.count();
        }
    }

    /** Runs the actor and waits for the end; {@code query} adds run options. */
    private JsonNode run(String actor, String query) {
        return egress.run(actor, query);
    }

    private String log(JsonNode run) {
        return egress.log(run);
    }
}
