package io.actord.daemon.network;

import io.actord.cgroups.testing.Host;
import io.actord.runtime.NetworkNamespaces;
import io.actord.runtime.testing.HostCommands;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollEventLoopGroup;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The forwarder as a run gets it: listeners made inside a network namespace of the test's own (at
 * 127.0.0.11:53, the address runs' resolv.conf names), the upstream on the HOST's loopback, which the
 * namespace cannot reach itself — an answer proves the upstream sockets were made in the host's namespace.
 */
@Tag("privileged")
class DnsForwarderIT {
    private static final InetSocketAddress IN_RUN = new InetSocketAddress("127.0.0.11", 53);
    private static final InetAddress WEB = InetAddress.getLoopbackAddress();
    private static String netns;
    private static EventLoopGroup group;

    @BeforeAll
    static void createNamespace() {
        Host.requireRoot(DnsForwarderIT.class);
        netns = "actord-dnsit-" + ProcessHandle.current().pid();
        HostCommands.run("ip", "netns", "add", netns);
        HostCommands.run("ip", "-n", netns, "link", "set", "lo", "up");
        group = new EpollEventLoopGroup(2);
    }

    @AfterAll
    static void deleteNamespace() {
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (netns != null) {
            HostCommands.run("ip", "netns", "del", netns);
        }
    }

    @Test
    void shouldAnswerInsideTheNamespaceFromAnUpstreamOnTheHostsLoopback() throws Exception {
        Path path = Path.of("/run/netns", netns);
        NetworkNamespaces namespaces = NetworkNamespaces.system();
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), Duration.ofSeconds(5));
             DnsForwarder.Listeners ignored = namespaces.call(path, () -> forwarder.serve(IN_RUN));
             DatagramChannel udp = namespaces.call(path, DnsForwarderIT::datagram);
             SocketChannel tcp = namespaces.call(path, DnsForwarderIT::stream)) {
            udp.connect(IN_RUN);
            udp.write(ByteBuffer.wrap(DnsForwarderTest.query(41, "site.test")));
            ByteBuffer answer = ByteBuffer.allocate(4096);
            udp.receive(answer);
            assertEquals(new DnsForwarderTest.Answer(41, 0, List.of(WEB)),
                    DnsForwarderTest.parse(Arrays.copyOf(answer.array(), answer.position())));

            tcp.connect(IN_RUN);
            try (var socket = tcp.socket()) {
                socket.setSoTimeout(10_000);
                assertEquals(new DnsForwarderTest.Answer(42, 0, List.of(WEB)),
                        DnsForwarderTest.tcp(socket, DnsForwarderTest.query(42, "site.test")));
            }
            assertEquals(List.of(new FakeDnsServer.Asked("site.test.", false), new FakeDnsServer.Asked("site.test.", true)),
                    upstream.asked());
        }
    }

    private static DatagramChannel datagram() {
        try {
            return DatagramChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SocketChannel stream() {
        try {
            return SocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
