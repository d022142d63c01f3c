package io.actord.daemon.network;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordDecoder;
import io.netty.handler.codec.dns.DnsResponseCode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The forwarder on loopback, in front of {@link FakeDnsServer}s. */
class DnsForwarderTest {
    private static final InetAddress WEB = address("203.0.113.10");
    private static final InetAddress OTHER = address("203.0.113.20");
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static EventLoopGroup group;

    @BeforeAll
    static void start() {
        group = new NioEventLoopGroup(2);
    }

    @AfterAll
    static void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** The answer a test client got: its id, rcode and A addresses. */
    record Answer(int id, int rcode, List<InetAddress> addresses) {
    }

    @Test
    void shouldForwardAUdpQueryAndGiveTheClientItsIdBack() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            Answer answer = udp(listener, query(0x1234, "site.test"));
            assertEquals(new Answer(0x1234, 0, List.of(WEB)), answer);
            assertEquals(List.of(new FakeDnsServer.Asked("site.test.", false)), upstream.asked());
        }
    }

    @Test
    void shouldForwardATcpQueryOverTcp() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            try (Socket socket = new Socket(listener.getAddress(), listener.getPort())) {
                socket.setSoTimeout(10_000);
                assertEquals(new Answer(7, 0, List.of(WEB)), tcp(socket, query(7, "a.site.test")));
                assertEquals(new Answer(8, 0, List.of(WEB)), tcp(socket, query(8, "b.site.test")),
                        "a second query on the same connection");
            }
            assertEquals(List.of(new FakeDnsServer.Asked("a.site.test.", true), new FakeDnsServer.Asked("b.site.test.", true)),
                    upstream.asked());
        }
    }

    @Test
    void shouldAnswerServfailWhenNoUpstreamAnswersInTime() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.SILENT, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), Duration.ofMillis(300))) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            Answer answer = udp(listener, query(99, "site.test"));
            assertEquals(new Answer(99, DnsResponseCode.SERVFAIL.intValue(), List.of()), answer);
            assertEquals(1, upstream.asked().size());
        }
    }

    @Test
    void shouldFailOverToTheSecondUpstreamWhenTheFirstIsSilent() throws Exception {
        try (FakeDnsServer silent = new FakeDnsServer(FakeDnsServer.Mode.SILENT, OTHER);
             FakeDnsServer working = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(silent.socketAddress(), working.socketAddress()),
                     Duration.ofSeconds(2))) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            assertEquals(new Answer(5, 0, List.of(WEB)), udp(listener, query(5, "site.test")));
            assertEquals(1, silent.asked().size());
            assertEquals(1, working.asked().size());
        }
    }

    @Test
    void shouldFailOverWhenTheFirstUpstreamRefusesTheConnection() throws Exception {
        InetSocketAddress closed;
        try (DatagramSocket reserved = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closed = (InetSocketAddress) reserved.getLocalSocketAddress();
        }
        try (FakeDnsServer working = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(closed, working.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            assertEquals(new Answer(6, 0, List.of(WEB)), udp(listener, query(6, "site.test")));
            try (Socket socket = new Socket(listener.getAddress(), listener.getPort())) {
                socket.setSoTimeout(10_000);
                assertEquals(new Answer(7, 0, List.of(WEB)), tcp(socket, query(7, "site.test")));
            }
        }
    }

    @Test
    void shouldFailOverWhenTheFirstUpstreamAnswersServfail() throws Exception {
        try (FakeDnsServer failing = new FakeDnsServer(FakeDnsServer.Mode.SERVFAIL, OTHER);
             FakeDnsServer working = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(failing.socketAddress(), working.socketAddress()),
                     TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            assertEquals(new Answer(9, 0, List.of(WEB)), udp(listener, query(9, "site.test")));
        }
    }

    @Test
    void shouldIgnoreRepliesWithAnotherIdOrQuestion() throws Exception {
        try (FakeDnsServer spoofing = new FakeDnsServer(FakeDnsServer.Mode.SPOOF_FIRST, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(spoofing.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(2_000);
                send(client, listener, query(11, "site.test"));
                assertEquals(new Answer(11, 0, List.of(WEB)), receive(client));
                assertThrows(SocketTimeoutException.class, () -> receive(client),
                        "only the matching reply reaches the client");
            }
        }
    }

    @Test
    void shouldDropMalformedInputAndAnswerFormerrWhenTheHeaderIsReadable() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(500);
                send(client, listener, new byte[] {1, 2, 3, 4, 5});
                assertThrows(SocketTimeoutException.class, () -> receive(client), "shorter than a header: dropped");

                byte[] cut = Arrays.copyOf(query(21, "site.test"), 20);
                send(client, listener, cut);
                assertEquals(new Answer(21, DnsResponseCode.FORMERR.intValue(), List.of()), receive(client));

                byte[] trailing = Arrays.copyOf(query(22, "site.test"), query(22, "site.test").length + 3);
                send(client, listener, trailing);
                assertEquals(new Answer(22, DnsResponseCode.FORMERR.intValue(), List.of()), receive(client));

                byte[] loop = query(23, "site.test");
                loop[12] = (byte) 0xc0; // a compression pointer to itself
                loop[13] = 12;
                send(client, listener, loop);
                assertEquals(new Answer(23, DnsResponseCode.FORMERR.intValue(), List.of()), receive(client));

                byte[] response = query(24, "site.test");
                response[2] |= (byte) 0x80; // QR: a response sent to the forwarder
                send(client, listener, response);
                assertThrows(SocketTimeoutException.class, () -> receive(client), "a response: dropped");

                client.setSoTimeout(10_000);
                send(client, listener, query(25, "site.test"));
                assertEquals(new Answer(25, 0, List.of(WEB)), receive(client), "the listener still serves");
            }
            assertEquals(1, upstream.asked().size(), "nothing malformed went upstream");
        }
    }

    @Test
    void shouldAnswerNotimpForAnotherOpcode() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), TIMEOUT)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            byte[] update = query(31, "site.test");
            update[2] |= (byte) (5 << 3); // opcode UPDATE
            assertEquals(new Answer(31, DnsResponseCode.NOTIMP.intValue(), List.of()), udp(listener, update));
            assertTrue(upstream.asked().isEmpty());
        }
    }

    @Test
    void shouldDropQueriesBeyondTheInFlightLimit() throws Exception {
        try (FakeDnsServer silent = new FakeDnsServer(FakeDnsServer.Mode.SILENT, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(silent.socketAddress()), Duration.ofSeconds(1), 2)) {
            InetSocketAddress listener = forwarder.serve(new InetSocketAddress("127.0.0.1", 0)).address();
            try (DatagramSocket client = new DatagramSocket()) {
                client.setSoTimeout(5_000);
                for (int id = 1; id <= 3; id++) {
                    send(client, listener, query(id, "site.test"));
                }
                List<Integer> answered = new ArrayList<>();
                answered.add(receive(client).id());
                answered.add(receive(client).id());
                client.setSoTimeout(1_500);
                assertThrows(SocketTimeoutException.class, () -> receive(client), "the third query was dropped");
                assertEquals(List.of(1, 2), answered.stream().sorted().toList());
            }
            assertEquals(2, silent.asked().size());
        }
    }

    @Test
    void shouldCloseItsListeners() throws Exception {
        try (FakeDnsServer upstream = new FakeDnsServer(FakeDnsServer.Mode.ANSWER, WEB);
             DnsForwarder forwarder = new DnsForwarder(group, List.of(upstream.socketAddress()), TIMEOUT)) {
            Closeable served = forwarder.serve(new InetSocketAddress("127.0.0.1", 0));
            InetSocketAddress listener = ((DnsForwarder.Listeners) served).address();
            assertTrue(((DnsForwarder.Listeners) served).isOpen(), "listening on " + listener);
            served.close();
            // Both sockets are closed, not merely unused. No probe of the port: a UDP one would wait for an ICMP
            // port-unreachable the kernel rate-limits, and a TCP connect or a new bind races with the busy host's
            // other sockets (a connect there succeeded in CI: another socket had the port by then).
            assertFalse(((DnsForwarder.Listeners) served).isOpen());
        }
    }

    @Test
    void shouldReadTheNameserversOfAResolvConf(@TempDir Path dir) throws IOException {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, """
                # generated
                search example.test
                nameserver 127.0.0.53
                nameserver   2001:db8::53
                nameserver fe80::1%eth0
                nameserver not-an-address
                ;nameserver 192.0.2.1
                options edns0 trust-ad
                """);
        assertEquals(List.of(new InetSocketAddress("127.0.0.53", 53), new InetSocketAddress("2001:db8::53", 53)),
                DnsForwarder.systemUpstreams(resolvConf));
        assertEquals(List.of(), DnsForwarder.systemUpstreams(dir.resolve("missing")));
    }

    @Test
    void shouldRefuseNoUpstreams() {
        assertThrows(IllegalArgumentException.class, () -> new DnsForwarder(group, List.of(), TIMEOUT));
    }

    static byte[] query(int id, String name) {
        ByteBuf out = Unpooled.buffer();
        out.writeShort(id).writeShort(0x0100).writeShort(1).writeShort(0).writeShort(0).writeShort(0);
        for (String label : name.split("\\.")) {
            out.writeByte(label.length()).writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeByte(0).writeShort(1).writeShort(1);
        byte[] bytes = new byte[out.readableBytes()];
        out.readBytes(bytes);
        return bytes;
    }

    static Answer udp(InetSocketAddress to, byte[] query) throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(10_000);
            send(client, to, query);
            return receive(client);
        }
    }

    private static void send(DatagramSocket client, InetSocketAddress to, byte[] message) throws IOException {
        client.send(new DatagramPacket(message, message.length, to));
    }

    private static Answer receive(DatagramSocket client) throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[4096], 4096);
        client.receive(packet);
        return parse(Arrays.copyOf(packet.getData(), packet.getLength()));
    }

    static Answer tcp(Socket socket, byte[] query) throws Exception {
        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
        out.writeShort(query.length);
        out.write(query);
        out.flush();
        DataInputStream in = new DataInputStream(socket.getInputStream());
        byte[] answer = new byte[in.readUnsignedShort()];
        in.readFully(answer);
        return parse(answer);
    }

    static Answer parse(byte[] bytes) throws Exception {
        ByteBuf message = Unpooled.wrappedBuffer(bytes);
        int answers = message.getUnsignedShort(6);
        int flags = message.getUnsignedShort(2);
        message.readerIndex(RawDnsMessage.HEADER);
        List<InetAddress> addresses = new ArrayList<>();
        if (message.getUnsignedShort(4) == 1) {
            DnsRecordDecoder.DEFAULT.decodeQuestion(message);
        }
        for (int i = 0; i < answers; i++) {
            DnsRecord record = DnsRecordDecoder.DEFAULT.decodeRecord(message);
            assertNotNull(record, "answer " + i);
            ByteBuf content = ((DnsRawRecord) record).content();
            byte[] address = new byte[content.readableBytes()];
            content.getBytes(content.readerIndex(), address);
            addresses.add(InetAddress.getByAddress(address));
            ((DnsRawRecord) record).release();
        }
        return new Answer(message.getUnsignedShort(0), flags & 0xf, addresses);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
