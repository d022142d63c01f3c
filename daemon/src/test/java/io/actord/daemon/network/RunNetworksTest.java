package io.actord.daemon.network;

import io.actord.daemon.DaemonConfig;
import io.actord.runtime.network.NetworkException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunNetworksTest {
    @TempDir
    Path dir;

    @Test
    void shouldForwardTheRunsDnsToTheHostsNameserversIncludingALoopbackOne() throws IOException {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "search lan\nnameserver 127.0.0.53\n");
        assertEquals(List.of(new InetSocketAddress("127.0.0.53", 53)),
                RunNetworks.dnsUpstreams(DaemonConfig.parse().network(), resolv));
    }

    @Test
    void shouldPreferTheOperatorsUpstreamsToTheHostsResolvConf() throws IOException {
        Path resolv = Files.writeString(dir.resolve("resolv.conf"), "nameserver 127.0.0.53\n");
        assertEquals(List.of(new InetSocketAddress("192.0.2.1", 5353)), RunNetworks.dnsUpstreams(
                DaemonConfig.parse("--dns-upstream", "192.0.2.1:5353").network(), resolv));
    }

    @Test
    void shouldNameDnsUpstreamWhenTheHostHasNoUsableNameserver() throws IOException {
        Path scopedOnly = Files.writeString(dir.resolve("resolv.conf"), "search lan\nnameserver fe80::1%eth0\n");
        for (Path resolv : List.of(scopedOnly, dir.resolve("missing"))) {
            NetworkException e = assertThrows(NetworkException.class,
                    () -> RunNetworks.dnsUpstreams(DaemonConfig.parse().network(), resolv));
            assertTrue(e.getMessage().contains(resolv + " names no usable nameserver")
                    && e.getMessage().contains("--dns-upstream IP[:PORT]")
                    && e.getMessage().contains("--run-network isolated"), e.getMessage());
        }
    }
}
