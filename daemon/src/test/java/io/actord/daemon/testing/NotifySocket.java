package io.actord.daemon.testing;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.DomainDatagramSocketAddress;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The service manager's end of sd_notify: an AF_UNIX datagram socket bound to a path (or, starting with
 * NUL, an abstract name) that hands back each datagram as text.
 */
public final class NotifySocket implements AutoCloseable {
    private final Socket socket;

    private NotifySocket(Socket socket) {
        this.socket = socket;
    }

    public static NotifySocket bind(String address) throws IOException {
        Epoll.ensureAvailability();
        Socket socket = Socket.newSocketDomainDgram();
        try {
            socket.bind(new DomainSocketAddress(address));
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        return new NotifySocket(socket);
    }

    /** The next datagram, waiting up to {@code timeout} (the socket is non-blocking). */
    public String receive(Duration timeout) throws IOException, InterruptedException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(4096);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            DomainDatagramSocketAddress from = socket.recvFromDomainSocket(buffer, 0, buffer.capacity());
            if (from != null) {
                byte[] bytes = new byte[from.receivedAmount()];
                buffer.get(0, bytes);
                return new String(bytes, StandardCharsets.UTF_8);
            }
            Thread.sleep(10);
        }
        throw new AssertionError("no notification in " + timeout.toSeconds() + " s");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
