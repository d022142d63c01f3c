package io.actord.runtime;

import io.actord.runtime.sys.SyscallException;
import io.actord.runtime.testing.TestRuntime;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link NetworkNamespaces} against a real container: a listener made inside it is reachable only from inside. */
@Tag("privileged")
class NetworkNamespacesIT {
    private static TestRuntime rt;
    private static Container container;

    @BeforeAll
    static void open() {
        rt = TestRuntime.open(NetworkNamespacesIT.class);
        container = rt.runtime().create(rt.spec("netns-entry", "/bin/payload", "sleep", "120").build());
    }

    @AfterAll
    static void close() throws IOException {
        if (container != null) {
            container.close();
        }
        if (rt != null) {
            rt.close();
        }
    }

    @Test
    void shouldListenInsideTheContainerAndNotOnTheHost() throws IOException {
        NetworkNamespaces netns = NetworkNamespaces.system();
        try (ServerSocketChannel server = netns.call(container.networkNamespace(), NetworkNamespacesIT::server)) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            try (SocketChannel inside = netns.call(container.networkNamespace(), NetworkNamespacesIT::client)) {
                inside.connect(new InetSocketAddress("127.0.0.1", port));
                try (SocketChannel accepted = server.accept()) {
                    inside.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.US_ASCII)));
                    ByteBuffer got = ByteBuffer.allocate(5);
                    while (got.hasRemaining()) {
                        accepted.read(got);
                    }
                    assertEquals("hello", new String(got.array(), StandardCharsets.US_ASCII));
                }
            }
            assertThrows(ConnectException.class, () -> {
                try (SocketChannel host = SocketChannel.open()) {
                    host.connect(new InetSocketAddress("127.0.0.1", port));
                }
            }, "the port is taken only inside the container's namespace");
        }
    }

    @Test
    void shouldReportANamespaceThatIsGone() {
        assertThrows(SyscallException.class, () -> NetworkNamespaces.system().call(Path.of("/proc/999999999/ns/net"),
                NetworkNamespacesIT::client));
    }

    private static ServerSocketChannel server() {
        try {
            return ServerSocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SocketChannel client() {
        try {
            return SocketChannel.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
