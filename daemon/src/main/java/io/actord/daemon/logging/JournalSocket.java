package io.actord.daemon.logging;

import io.netty.channel.epoll.Epoll;
import io.netty.channel.unix.Socket;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * journald's native protocol (systemd.journal-fields(7), "Native Protocol" in the journal's docs): one datagram per
 * entry to its AF_UNIX socket, each field {@code KEY=value\n}, or, for a value with a line break,
 * {@code KEY\n}, its length as 64-bit little-endian, the value and {@code \n}. The stream on stderr carries only
 * MESSAGE and PRIORITY; this carries fields of our own ({@code RUN_ID=}), so {@code journalctl RUN_ID=…} finds a run's
 * lines. The JDK has no Unix datagram sockets: Netty's native one sends (as for sd_notify). The socket is
 * non-blocking: a journal that does not keep up makes {@link #send} fail, and the caller writes the line to stderr.
 */
final class JournalSocket {
    static final String PATH = "/run/systemd/journal/socket";

    private final byte[] address;
    private Socket socket;

    JournalSocket(String path) {
        this.address = path.getBytes(StandardCharsets.UTF_8);
    }

    /** Sends one entry; false when it was not taken (no journal, no native transport, a full socket). */
    synchronized boolean send(Map<String, String> fields) {
        byte[] bytes = encode(fields);
        try {
            if (socket == null) {
                if (!Epoll.isAvailable()) {
                    return false;
                }
                socket = Socket.newSocketDomainDgram();
            }
            ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            return socket.sendToDomainSocket(buffer, 0, bytes.length, address) == bytes.length;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static byte[] encode(Map<String, String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        fields.forEach((key, value) -> {
            byte[] k = key.getBytes(StandardCharsets.US_ASCII);
            byte[] v = value.getBytes(StandardCharsets.UTF_8);
            out.writeBytes(k);
            if (value.indexOf('\n') < 0) {
                out.write('=');
            } else {
                out.write('\n');
                out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v.length).array());
            }
            out.writeBytes(v);
            out.write('\n');
        });
        return out.toByteArray();
    }
}
