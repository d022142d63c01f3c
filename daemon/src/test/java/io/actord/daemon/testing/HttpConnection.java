package io.actord.daemon.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
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
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One kept-alive HTTP/1.1 connection written by hand, for what java.net.http hides: the Host header,
 * several requests on one connection, a Unix socket, reading a body slowly. Responses are framed by
 * Content-Length, chunked encoding or the connection's end.
 */
public final class HttpConnection implements AutoCloseable {
    private final Closeable socket;
    private final InputStream in;
    private final OutputStream out;
    private long pauseAt;
    private Runnable pause;
    private long bodyRead;

    private HttpConnection(Closeable socket, InputStream in, OutputStream out) {
        this.socket = socket;
        this.in = new BufferedInputStream(in);
        this.out = out;
    }

    public static HttpConnection tcp(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, 5000);
        s.setSoTimeout(30_000);
        return new HttpConnection(s, s.getInputStream(), s.getOutputStream());
    }

    public static HttpConnection unix(Path path) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        ch.connect(UnixDomainSocketAddress.of(path));
        return new HttpConnection(ch, Channels.newInputStream(ch), Channels.newOutputStream(ch));
    }

    /** A response; header names are lowercase. */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    /** GET {@code target} with this Host header and reads the answer. */
    public Response get(String host, String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n\r\n").read();
    }

    /** Writes raw bytes (a request, or part of one). */
    public HttpConnection send(String raw) throws IOException {
        return send(raw.getBytes(StandardCharsets.UTF_8));
    }

    public HttpConnection send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
        return this;
    }

    /** Reads one response head and its whole body. */
    public Response read() throws IOException {
        Response head = readHead();
        return new Response(head.status(), head.headers(), readBody(head, Long.MAX_VALUE));
    }

    /** Reads one response head; the body is left to {@link #readBody} or {@link #stream()}. */
    public Response readHead() throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("the connection closed before a response");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String l = line(); l != null && !l.isEmpty(); l = line()) {
            int colon = l.indexOf(':');
            headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
        }
        return new Response(Integer.parseInt(statusLine.substring(9, 12)), headers, new byte[0]);
    }

    /** Reads the body of a response whose head {@link #readHead} gave, keeping at most {@code keep} bytes. */
    public byte[] readBody(Response head, long keep) throws IOException {
        return readBody(head, keep, Long.MAX_VALUE, Duration.ZERO, () -> { });
    }

    /**
     * As {@link #readBody(Response, long)}, but once the first {@code pauseAt} bytes of the body are read it
     * stops reading for {@code pause}, then runs {@code atPause} (the rest of the body waits meanwhile).
     */
    public byte[] readBody(Response head, long keep, long pauseAt, Duration pause, Runnable atPause)
            throws IOException {
        this.pauseAt = pauseAt;
        this.pause = () -> {
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            atPause.run();
        };
        this.bodyRead = 0;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        String length = head.header("content-length");
        if (head.status() == 101 || head.status() == 204 || head.status() == 304) {
            return new byte[0];
        }
        if (length != null) {
            copy(Long.parseLong(length), body, keep);
        } else if ("chunked".equalsIgnoreCase(head.header("transfer-encoding"))) {
            for (long size = Long.parseLong(line().trim(), 16); size > 0; size = Long.parseLong(line().trim(), 16)) {
                copy(size, body, keep);
                line();
            }
            String trailer;
            do {
                trailer = line();
            } while (trailer != null && !trailer.isEmpty());
        } else {
            copy(Long.MAX_VALUE, body, keep);
        }
        return body.toByteArray();
    }

    /** The raw stream, for reading a body at one's own pace or WebSocket frames. */
    public InputStream stream() {
        return in;
    }

    public OutputStream output() {
        return out;
    }

    /** Whether the server closed the connection (reads the end of stream, waiting up to the socket's timeout). */
    public boolean closedByServer() throws IOException {
        return in.read() < 0;
    }

    private void copy(long n, ByteArrayOutputStream body, long keep) throws IOException {
        byte[] buf = new byte[65536];
        long left = n;
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                if (n == Long.MAX_VALUE) {
                    return;
                }
                throw new IOException("the body ended " + left + " bytes early");
            }
            if (body.size() < keep) {
                body.write(buf, 0, (int) Math.min(r, keep - body.size()));
            }
            left -= r;
            bodyRead += r;
            if (bodyRead >= pauseAt) {
                pauseAt = Long.MAX_VALUE;
                pause.run();
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                b.write(c);
            }
        }
        return c < 0 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
