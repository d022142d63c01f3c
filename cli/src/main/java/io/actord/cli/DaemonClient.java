package io.actord.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.URLEncoder;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** HTTP/1.1 with JSON to the daemon's Unix socket: one request per connection. */
public final class DaemonClient {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final Path socket;

    public DaemonClient(Path socket) {
        this.socket = socket;
    }

    /** A response: the status and the body as sent. */
    public record Response(int status, String body) {
        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new CliException("the daemon answered " + status + " with a body that is not JSON: " + body);
            }
        }

        /** The {@code data} of a 2xx answer; an error answer becomes a {@link CliException} with its message. */
        public JsonNode data() {
            if (status / 100 != 2) {
                String message = json().path("error").path("message").asText(body);
                throw new CliException(message);
            }
            return json().path("data");
        }
    }

    public Response get(String path) {
        return send("GET", path, null);
    }

    public Response post(String path, Object body) {
        try {
            return send("POST", path, body == null ? null : JSON.writeValueAsBytes(body));
        } catch (IOException e) {
            throw new CliException("encode request: " + e.getMessage());
        }
    }

    public static String encode(String pathSegment) {
        return URLEncoder.encode(pathSegment, StandardCharsets.UTF_8).replace("+", "%20").replace("%7E", "~");
    }

    private Response send(String method, String path, byte[] body) {
        byte[] payload = body == null ? new byte[0] : body;
        String head = method + " " + path + " HTTP/1.1\r\nHost: actord\r\nConnection: close\r\n"
                + (body == null ? "" : "Content-Type: application/json\r\n")
                + "Content-Length: " + payload.length + "\r\n\r\n";
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(head.getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer b = ByteBuffer.wrap(payload);
            while (b.hasRemaining()) {
                ch.write(b);
            }
            return read(Channels.newInputStream(ch));
        } catch (IOException e) {
            throw new CliException("cannot reach the daemon at " + socket + ": " + e.getMessage()
                    + " (is actord running? is --socket right?)");
        }
    }

    private static Response read(InputStream in) throws IOException {
        byte[] all = in.readAllBytes();
        String text = new String(all, StandardCharsets.UTF_8);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            throw new IOException("not an HTTP response: " + text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, end).toLowerCase();
        String body = text.substring(end + 4);
        if (headers.contains("transfer-encoding: chunked")) {
            body = dechunk(body);
        }
        return new Response(status, body);
    }

    private static String dechunk(String chunked) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pos = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", pos);
            int size = Integer.parseInt(chunked.substring(pos, eol).trim(), 16);
            if (size == 0) {
                return out.toString(StandardCharsets.UTF_8);
            }
            out.writeBytes(chunked.substring(eol + 2, eol + 2 + size).getBytes(StandardCharsets.UTF_8));
            pos = eol + 2 + size + 2;
        }
    }
}
