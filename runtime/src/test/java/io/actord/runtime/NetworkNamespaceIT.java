package io.actord.runtime;

import io.actord.runtime.sys.JnaLinux;
import io.actord.runtime.testing.NetnsSockets;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reaching a server inside an isolated container through its network namespace, the way the daemon's
 * container-URL proxy will: HTTP keep-alive, a streamed body and a WebSocket echo from the payload.
 */
@Tag("privileged")
class NetworkNamespaceIT {
    static final int PORT = 4321;
    private static TestRuntime rt;
    private static Container server;

    @BeforeAll
    static void open() throws IOException {
        rt = TestRuntime.open(NetworkNamespaceIT.class);
        server = rt.runtime().create(rt.spec("http", "/bin/payload", "serve-http", Integer.toString(PORT)).build());
        String first = new BufferedReader(new InputStreamReader(server.output().orElseThrow(), StandardCharsets.UTF_8))
                .readLine();
        assertEquals("serve-http: listening on " + PORT, first);
    }

    @AfterAll
    static void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (rt != null) {
            rt.close();
        }
    }

    private static SocketChannel connect() throws IOException {
        SocketChannel channel = NetnsSockets.open(new JnaLinux(), server.networkNamespace());
        channel.connect(new InetSocketAddress("127.0.0.1", PORT));
        return channel;
    }

    private static void send(SocketChannel channel, String request) throws IOException {
        channel.write(ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Sends one GET and reads the response head and a Content-Length body. */
    private static String[] get(SocketChannel channel, InputStream in, String path) throws IOException {
        send(channel, "GET " + path + " HTTP/1.1\r\nHost: run\r\n\r\n");
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.read());
        }
        int length = Integer.parseInt(head.toString().replaceAll("(?s).*Content-Length: (\\d+).*", "$1"));
        return new String[] {head.toString(), new String(in.readNBytes(length), StandardCharsets.US_ASCII)};
    }

    @Test
    void shouldServeHttpWithKeepAliveInsideTheContainersNamespace() throws Exception {
        try (SocketChannel channel = connect()) {
            InputStream in = Channels.newInputStream(channel);

            String[] hello = get(channel, in, "/");
            String[] bytes = get(channel, in, "/bytes/100000");

            assertTrue(hello[0].startsWith("HTTP/1.1 200 OK"), hello[0]);
            assertEquals("hello from payload\n", hello[1]);
            assertTrue(bytes[0].contains("Connection: keep-alive"), bytes[0]);
            assertEquals("x".repeat(100_000), bytes[1]);
        }
    }

    @Test
    void shouldEchoWebSocketMessages() throws Exception {
        try (SocketChannel channel = connect()) {
            InputStream in = Channels.newInputStream(channel);
            String key = Base64.getEncoder().encodeToString("actord-websocket".getBytes(StandardCharsets.US_ASCII));
            send(channel, "GET /ws HTTP/1.1\r\nHost: run\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) in.read());
            }
            String accept = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
            assertTrue(head.toString().startsWith("HTTP/1.1 101"), head.toString());
            assertTrue(head.toString().contains("Sec-WebSocket-Accept: " + accept), head.toString());

            byte[] message = "hello over websocket".getBytes(StandardCharsets.UTF_8);
            byte[] mask = {1, 2, 3, 4};
            ByteBuffer frame = ByteBuffer.allocate(6 + message.length).put((byte) 0x81)
                    .put((byte) (0x80 | message.length)).put(mask);
            for (int i = 0; i < message.length; i++) {
                frame.put((byte) (message[i] ^ mask[i % 4]));
            }
            channel.write(frame.flip());

            assertArrayEquals(new byte[] {(byte) 0x81, (byte) message.length}, in.readNBytes(2));
            assertArrayEquals(message, in.readNBytes(message.length));
        }
    }

    @Test
    void shouldNotListenOnTheHost() {
        assertThrows(ConnectException.class, () -> {
            try (SocketChannel host = SocketChannel.open()) {
                host.connect(new InetSocketAddress("127.0.0.1", PORT));
            }
        });
    }
}
