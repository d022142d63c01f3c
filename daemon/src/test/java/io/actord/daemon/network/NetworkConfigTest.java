package io.actord.daemon.network;

import io.actord.daemon.common.UsageException;
import io.actord.daemon.DaemonConfig;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.runtime.network.Cidr;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkConfigTest {
    @Test
    void shouldDefaultToEgressOnActordsOwnBridge() {
        NetworkConfig c = DaemonConfig.parse().network();
        assertEquals(RunNetwork.EGRESS, c.mode());
        assertEquals("actord0", c.bridge());
        assertEquals("actord", c.nftTable());
        assertEquals(Path.of("/usr/lib/cni"), c.cniPath());
        assertEquals(Optional.empty(), c.subnet());
        assertEquals(List.of(), c.dnsUpstreams(), "empty: the host's resolv.conf");
    }

    @Test
    void shouldParseEveryNetworkFlag() {
        NetworkConfig c = DaemonConfig.parse("--run-network", "isolated", "--network-subnet", "10.77.0.0/16",
                "--bridge", "br-runs", "--nft-table", "runs", "--cni-conflist", "/etc/cni/lan.conflist",
                "--cni-path", "/opt/cni/bin", "--egress-allow", "192.168.1.20/32", "--egress-deny", "0.0.0.0/0,::/0",
                "--dns-upstream", "127.0.0.53,192.0.2.1:5353,[::1]:53").network();
        assertEquals(RunNetwork.ISOLATED, c.mode());
        assertEquals(Optional.of("10.77.0.0/16"), c.subnet());
        assertEquals(Optional.of(Path.of("/etc/cni/lan.conflist")), c.conflist());
        assertEquals(List.of(Cidr.parse("192.168.1.20/32")), c.allow());
        assertEquals(2, c.deny().size());
        assertEquals(List.of(new InetSocketAddress("127.0.0.53", 53), new InetSocketAddress("192.0.2.1", 5353),
                new InetSocketAddress("::1", 53)), c.dnsUpstreams());
    }

    @Test
    void shouldRefuseBadNetworkValues() {
        for (String[] bad : List.of(new String[] {"--run-network", "host"}, new String[] {"--network-subnet", "nope"},
                new String[] {"--bridge", "a-name-far-too-long"}, new String[] {"--egress-allow", "10.0.0.0/33"},
                new String[] {"--dns-upstream", "resolver.example"}, new String[] {"--nft-table", "1x"})) {
            assertThrows(UsageException.class, () -> DaemonConfig.parse(bad), String.join(" ", bad));
        }
        assertTrue(DaemonConfig.USAGE.contains("--run-network egress|isolated"));
    }

    @Test
    void shouldLetOnlyWideningNeedTheAdmin() {
        assertTrue(RunNetwork.EGRESS.widerThan(RunNetwork.ISOLATED));
        assertFalse(RunNetwork.ISOLATED.widerThan(RunNetwork.EGRESS));
        assertFalse(RunNetwork.EGRESS.widerThan(RunNetwork.EGRESS));
        assertEquals(RunNetwork.EGRESS, RunNetwork.fromWire("Egress"));
        assertThrows(ApiException.class, () -> RunNetwork.fromWire("host"));
    }
}
