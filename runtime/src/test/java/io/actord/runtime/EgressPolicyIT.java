package io.actord.runtime;

import io.actord.runtime.network.Cidr;
import io.actord.runtime.network.EgressPolicy;
import io.actord.runtime.testing.FakeInternet;
import io.actord.runtime.testing.HostCommands;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link EgressPolicy#nftRuleset} loaded in a bare namespace standing for a run's: a veth straight into the
 * {@link FakeInternet}'s namespace (no host routing involved), the policy of a test daemon (the fake
 * internet's range allowed, everything else denied). The allowed web server answers, the fake's private
 * address (reachable before the rules load) is rejected with a reset, and a process without CAP_NET_ADMIN
 * cannot flush or change the rules.
 */
@Tag("privileged")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EgressPolicyIT {
    private static final String TABLE = "actord_egress";
    /** The link between the two test namespaces; on no host interface, so any addresses would do. */
    private static final String FAKE_END = "198.51.100.249";
    private static final String RUN_END = "198.51.100.250";
    private static Path site;
    private static FakeInternet fake;
    private static String run;
    private static String runInterface;

    @BeforeAll
    static void start() throws IOException {
        site = Files.createTempDirectory("actord-egress-site-");
        FakeInternet.writeSite(site, 1);
        fake = FakeInternet.start(site); // skips without root
        requireInetTables();
        run = "actord-egress-" + ProcessHandle.current().pid();
        String veth = "actorde" + Long.toHexString(ProcessHandle.current().pid());
        runInterface = veth + "r";
        HostCommands.run("ip", "netns", "add", run);
        HostCommands.run("ip", "-n", run, "link", "add", veth + "r", "type", "veth", "peer", "name", veth + "f",
                "netns", fake.netnsName());
        HostCommands.run("ip", "-n", run, "link", "set", "lo", "up");
        HostCommands.run("ip", "-n", run, "addr", "add", RUN_END + "/30", "dev", veth + "r");
        HostCommands.run("ip", "-n", run, "link", "set", veth + "r", "up");
        HostCommands.run("ip", "-n", run, "route", "add", "default", "via", FAKE_END);
        HostCommands.run("ip", "-n", fake.netnsName(), "addr", "add", FAKE_END + "/30", "dev", veth + "f");
        HostCommands.run("ip", "-n", fake.netnsName(), "link", "set", veth + "f", "up");
    }

    /**
     * Skips, saying so, on a kernel whose nf_tables lacks the inet family the ruleset needs: Debian's UML kernel
     * (the cgroup-v2 guest's default) is built without it, so an egress daemon refuses to start there. Any
     * other failure of the probe fails the test.
     */
    private static void requireInetTables() {
        HostCommands.Result probe = HostCommands.attempt("unshare", "--net", "nft", "add", "table", "inet", TABLE);
        boolean supported = probe.ok();
        if (!supported && !probe.output().contains("Operation not supported")) {
            throw new IllegalStateException("nft add table inet in a new namespace: " + probe.output().strip());
        }
        if (!supported) {
            System.out.println("SKIPPED EgressPolicyIT: this kernel's nf_tables has no inet family ("
                    + probe.output().strip().lines().findFirst().orElse("") + ")");
        }
        assumeTrue(supported, "this kernel's nf_tables has no inet family");
    }

    @AfterAll
    static void stop() throws IOException {
        if (run != null) {
            HostCommands.attempt("ip", "netns", "del", run);
        }
        if (fake != null) {
            fake.close();
        }
        if (site != null) {
            try (var files = Files.list(site)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(site);
        }
    }

    @Test
    @Order(1)
    void shouldReachThePrivateAddressBeforeThePolicyIsLoaded() {
        HostCommands.Result control = wget(fake.privateAddress().getHostAddress());
        assertTrue(control.ok(), "the control: without rules the route works: " + control.output());
    }

    @Test
    @Order(2)
    void shouldAllowTheAllowedRangeAndRejectThePrivateAddressFast() {
        EgressPolicy policy = EgressPolicy.of(fake.ranges(), Cidr.parseList("0.0.0.0/0,::/0"))
                .denyingAlso(EgressPolicy.hostAddresses());
        HostCommands.runWithInput(policy.nftRuleset(TABLE), "ip", "netns", "exec", run, "nft", "-f", "-");

        HostCommands.Result web = wget(fake.webAddress().getHostAddress());
        assertTrue(web.ok() && web.output().contains(FakeInternet.title(0)), web.output());

        long started = System.nanoTime();
        HostCommands.Result denied = wget(fake.privateAddress().getHostAddress());
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.println("EgressPolicyIT: denied connect failed in " + millis + " ms: " + denied.output().strip());
        assertFalse(denied.ok());
        assertTrue(denied.output().contains("ConnectException: Connection refused"),
                "a TCP reset from the reject rule, not a timeout: " + denied.output());

        assertUdpRejected(new InetSocketAddress(fake.privateAddress(), 53));
    }

    @Test
    @Order(3)
    void shouldKeepTheRulesFromAProcessWithoutCapNetAdmin() {
        List<List<String>> attempts = List.of(List.of("nft", "flush", "ruleset"),
                List.of("nft", "delete", "table", "inet", TABLE),
                List.of("nft", "add", "element", "inet", TABLE, "allow4", "{ 10.0.0.0/8 }"),
                List.of("iptables", "-F"));
        for (List<String> attempt : attempts) {
            List<String> argv = new ArrayList<>(List.of("ip", "netns", "exec", run, "setpriv", "--inh-caps=-all",
                    "--ambient-caps=-all", "--bounding-set=-all", "--"));
            argv.addAll(attempt);
            HostCommands.Result result = HostCommands.attempt(null, argv);
            assertFalse(result.ok(), String.join(" ", attempt) + " must fail without CAP_NET_ADMIN: " + result.output());
            assertTrue(result.output().contains("Operation not permitted") || result.output().contains("Permission denied"),
                    String.join(" ", attempt) + ": " + result.output());
        }
        String rules = HostCommands.run("ip", "netns", "exec", run, "nft", "list", "table", "inet", TABLE);
        assertTrue(rules.contains("reject with tcp reset"), rules);
        assertFalse(wget(fake.privateAddress().getHostAddress()).ok(), "still denied");
        assertEquals(1, rules.lines().filter(l -> l.contains("chain output")).count());
    }

    /**
     * The policy filters at the IP output hook, which a frame written to a packet socket never passes: a
     * process with CAP_NET_RAW in a run's namespace reaches a denied address. That is why a run gets no
     * CAP_NET_RAW ({@link io.actord.runtime.security.Capability#RUN_DEFAULT}; EscapeBatteryIT shows a run
     * cannot open a packet socket).
     */
    @Test
    @Order(4)
    void shouldNotSeeFramesFromAPacketSocketSoRunsGetNoCapNetRaw() throws IOException {
        try (DatagramChannel listener = NetworkNamespaces.system().call(fake.netns(), EgressPolicyIT::openDatagram)) {
            listener.bind(new InetSocketAddress(fake.privateAddress(), 0));
            InetSocketAddress denied = (InetSocketAddress) listener.getLocalAddress();
            assertUdpRejected(denied);

            String sent = HostCommands.run("ip", "netns", "exec", run,
                    TestRuntime.payloadRootfs().resolve("bin/escape").toString(), "raw-udp", runInterface,
                    denied.getAddress().getHostAddress(), String.valueOf(denied.getPort()));

            assertEquals("probe raw-udp ok", sent.strip());
            listener.socket().setSoTimeout(5_000);
            java.net.DatagramPacket got = new java.net.DatagramPacket(new byte[64], 64);
            listener.socket().receive(got);
            assertEquals("escape", new String(got.getData(), 0, got.getLength(), StandardCharsets.US_ASCII));
            System.out.println("EgressPolicyIT: a datagram from a packet socket reached the denied " + denied
                    + " from " + got.getSocketAddress());
        }
    }

    private static DatagramChannel openDatagram() {
        try {
            return DatagramChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A datagram to a denied address comes back as an error on the socket (the ICMP reject), not silence. */
    private static void assertUdpRejected(InetSocketAddress to) {
        try (DatagramChannel channel = NetworkNamespaces.system().call(Path.of("/run/netns", run),
                EgressPolicyIT::openDatagram)) {
            channel.connect(to);
            channel.socket().setSoTimeout(5_000);
            IOException error = assertThrows(IOException.class, () -> {
                channel.write(ByteBuffer.wrap(new byte[] {1, 2, 3}));
                channel.socket().receive(new java.net.DatagramPacket(new byte[16], 16));
            });
            System.out.println("EgressPolicyIT: UDP to " + to + ": " + error);
            assertFalse(error instanceof java.net.SocketTimeoutException, "rejected, not dropped: " + error);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * GET / from inside the run's namespace: the socket is made there (busybox-static's wget crashes in a
     * namespace of its own here, in glibc's static getaddrinfo), used from this thread.
     *
     * @return the response, or the exception's text when the connection failed
     */
    private static HostCommands.Result wget(String address) {
        try (SocketChannel channel = NetworkNamespaces.system().call(Path.of("/run/netns", run), EgressPolicyIT::open)) {
            channel.socket().connect(new InetSocketAddress(address, 80), 5_000);
            channel.socket().setSoTimeout(5_000);
            channel.write(ByteBuffer.wrap(("GET / HTTP/1.0\r\nHost: " + address + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            String response = new String(channel.socket().getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return new HostCommands.Result(response.matches("(?s)HTTP/1\\.[01] 200 .*") ? 0 : 1, response);
        } catch (IOException e) {
            return new HostCommands.Result(1, e.toString());
        }
    }

    private static SocketChannel open() {
        try {
            return SocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
