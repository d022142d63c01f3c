package io.actord.daemon.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * HTTP/1.1 by hand, for what java.net.http cannot do: Unix sockets, malformed requests, a body that is
 * refused before it is sent. One request per connection ({@code Connection: close}).
 */
public final class RawHttp {
    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, ending with a blank line) and {@code body} over TCP. */
    public static String tcp(InetSocketAddress address, String head, byte[] body) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(30_000);
            return exchange(s.getInputStream(), s.getOutputStream(), head, body);
        }
    }

    /** The same over a Unix socket. */
    public static String unix(Path socket, String head, byte[] body) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return exchange(Channels.newInputStream(ch), Channels.newOutputStream(ch), head, body);
        }
    }

    /** Sends only the head and reads the answer without sending the body ({@code Expect: 100-continue}). */
    public static String headOnly(InetSocketAddress address, String head) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            s.setSoTimeout(30_000);
            s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return readResponse(s.getInputStream());
        }
    }

    private static String exchange(InputStream in, OutputStream out, String head, byte[] body) throws IOException {
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        int chunk = 1 << 20;
        for (int off = 0; off < body.length; off += chunk) {
            out.write(body, off, Math.min(chunk, body.length - off));
        }
        out.flush();
        return readResponse(in);
    }

    /** Reads one response: headers, then Content-Length bytes or chunks, or until the server closes. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            headBytes.write(b);
            matched = (b == '\r' || b == '\n') ? (matched + 1) : 0;
        }
        String headers = headBytes.toString(StandardCharsets.US_ASCII);
        String lower = headers.toLowerCase();
        int cl = lower.indexOf("content-length: ");
        if (cl >= 0) {
            int len = Integer.parseInt(lower.substring(cl + 16, lower.indexOf("\r\n", cl)).trim());
            return headers + new String(in.readNBytes(len), StandardCharsets.UTF_8);
        }
        return headers + new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
