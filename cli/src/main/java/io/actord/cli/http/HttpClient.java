package io.actord.cli.http;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one request per connection ({@code Connection: close}, unless the request upgrades it), so a body
 * without a length simply ends when the daemon closes. Not a general client: no redirects, no TLS, no keep-alive; the daemon is local.
 */
public final class HttpClient {
    private final Endpoint endpoint;
    private final String userAgent;

    public HttpClient(Endpoint endpoint, String userAgent) {
        this.endpoint = endpoint;
        this.userAgent = userAgent;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * Sends the request and reads the status line and headers; the body stays on the wire.
     *
     * @throws UnreachableException when no connection can be made; other {@link IOException}s when it fails later
     */
    public HttpResponse send(HttpRequest request) throws IOException {
        SocketChannel channel;
        try {
            channel = endpoint.connect();
        } catch (IOException e) {
            throw new UnreachableException(endpoint, e);
        }
        try {
            write(channel, request);
            return read(channel, request.method());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private void write(SocketChannel channel, HttpRequest request) throws IOException {
        StringBuilder head = new StringBuilder(256)
                .append(request.method()).append(' ').append(endpoint.basePath()).append(request.target())
                .append(" HTTP/1.1\r\nHost: ").append(endpoint.host())
                .append("\r\nUser-Agent: ").append(userAgent)
                .append("\r\nAccept: */*\r\n");
        if (!request.headers().containsKey("Connection")) {
            head.append("Connection: close\r\n");
        }
        request.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        byte[] body = request.body() == null ? new byte[0] : request.body();
        if (body.length > 0 || !request.method().equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        ByteBuffer[] buffers = {ByteBuffer.wrap(head.toString().getBytes(StandardCharsets.ISO_8859_1)),
                ByteBuffer.wrap(body)};
        while (buffers[1].hasRemaining() || buffers[0].hasRemaining()) {
            channel.write(buffers);
        }
    }

    private static HttpResponse read(SocketChannel channel, String method) throws IOException {
        InputStream in = new BufferedInputStream(Channels.newInputStream(channel), 16 * 1024);
        while (true) {
            String statusLine = HttpLines.read(in);
            if (statusLine == null) {
                throw new IOException("the connection closed before a response arrived");
            }
            int status = status(statusLine);
            Map<String, String> headers = headers(in);
            // 101: the connection now speaks what the request's Upgrade asked for; its bytes follow as the body.
            if (status >= 100 && status < 200 && status != 101) {
                continue;
            }
            return new HttpResponse(status, headers, body(in, method, status, headers), channel);
        }
    }

    private static int status(String line) throws IOException {
        if (!line.startsWith("HTTP/1.") || line.length() < 12 || line.charAt(8) != ' ') {
            throw new IOException("not an HTTP response (it began with '" + abbreviate(line) + "')");
        }
        try {
            return Integer.parseInt(line.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new IOException("bad HTTP status line '" + abbreviate(line) + "'");
        }
    }

    private static Map<String, String> headers(InputStream in) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        while ((line = HttpLines.read(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        if (line == null) {
            throw new IOException("the connection closed inside the response headers");
        }
        return headers;
    }

    private static InputStream body(InputStream in, String method, int status, Map<String, String> headers)
            throws IOException {
        if (method.equals("HEAD") || status == 204 || status == 304) {
            return InputStream.nullInputStream();
        }
        String encoding = headers.getOrDefault("transfer-encoding", "");
        if (encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return new ChunkedInputStream(in);
        }
        String length = headers.get("content-length");
        if (length != null) {
            try {
                return new FixedLengthInputStream(in, Long.parseLong(length));
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length '" + length + "'");
            }
        }
        return in;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
