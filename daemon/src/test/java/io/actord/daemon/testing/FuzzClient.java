package io.actord.daemon.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;

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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Sends any bytes as one HTTP request and reads the first answer, within a deadline: a connection the server
 * holds past it is closed and reported as {@link Outcome#HUNG}. Only error answers' bodies are read (success
 * bodies may be endless streams, and nothing is checked in them). One connection per request.
 */
public final class FuzzClient implements AutoCloseable {
    private static final int MAX_HEAD = 1 << 20;
    private static final int MAX_ERROR_BODY = 1 << 20;

    public enum Outcome { ANSWERED, CLOSED, HUNG }

    /** What came back; {@code status} and the rest are set only when {@link Outcome#ANSWERED}. */
    public record Answer(Outcome outcome, int status, Map<String, List<String>> headers, byte[] body, String detail) {
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? "" : values.get(0);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /**
         * What is wrong with this answer to a request the server had to answer ({@code head}: a HEAD request,
         * whose errors have no body), or null: no answer in time, a 5xx other than a 503 of {@code allowed503}
         * types, an error that is not Apify's {@code {"error":{"type","message"}}} JSON.
         */
        public String problem(boolean head, Set<String> allowed503) {
            if (outcome == Outcome.HUNG || outcome == Outcome.CLOSED) {
                return (outcome == Outcome.HUNG ? "hang: " : "closed without an answer: ") + detail;
            }
            if (status < 400 || head) {
                return null;
            }
            JsonNode error;
            try {
                error = Json.MAPPER.readTree(body).path("error");
            } catch (IOException e) {
                return "error " + status + " is not JSON: " + text();
            }
            if (!error.path("type").isTextual() || !error.path("message").isTextual()
                    || !header("content-type").startsWith("application/json")) {
                return "error " + status + " is not Apify-shaped (" + header("content-type") + "): " + text();
            }
            if (status >= 500 && !(status == 503 && allowed503.contains(error.get("type").asText()))) {
                return "server error " + status + ": " + text();
            }
            return null;
        }
    }

    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "fuzz-watchdog");
        t.setDaemon(true);
        return t;
    });
    private final Duration deadline;

    public FuzzClient(Duration deadline) {
        this.deadline = deadline;
    }

    public Answer tcp(InetSocketAddress address, byte[] request, boolean halfClose, boolean head) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 5000);
            return exchange(s.getInputStream(), s.getOutputStream(), s, halfClose ? s::shutdownOutput : () -> { },
                    request, head);
        }
    }

    public Answer unix(Path socket, byte[] request, boolean halfClose, boolean head) throws IOException {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            return exchange(Channels.newInputStream(ch), Channels.newOutputStream(ch), ch,
                    halfClose ? ch::shutdownOutput : () -> { }, request, head);
        }
    }

    private interface HalfClose {
        void run() throws IOException;
    }

    private Answer exchange(InputStream in, OutputStream out, Closeable connection, HalfClose halfClose,
                            byte[] request, boolean head) {
        AtomicBoolean fired = new AtomicBoolean();
        ScheduledFuture<?> timer = watchdog.schedule(() -> {
            fired.set(true);
            try {
                connection.close();
            } catch (IOException ignored) {
                // closing is all the watchdog does; the reader sees the failure
            }
        }, deadline.toMillis(), TimeUnit.MILLISECONDS);
        Answer answer;
        try {
            try {
                out.write(request);
                out.flush();
                halfClose.run();
            } catch (IOException e) {
                // the server may answer and close before it has read the whole request (413): read what it sent
            }
            answer = read(in, head);
        } catch (IOException e) {
            answer = new Answer(Outcome.CLOSED, 0, Map.of(), new byte[0], e.toString());
        } finally {
            timer.cancel(false);
        }
        return fired.get() ? new Answer(Outcome.HUNG, 0, Map.of(), new byte[0], "no complete answer within " + deadline)
                : answer;
    }

    private static Answer read(InputStream in, boolean head) throws IOException {
        for (;;) {
            String headText = readHead(in);
            if (headText == null) {
                return new Answer(Outcome.CLOSED, 0, Map.of(), new byte[0], "closed without an answer");
            }
            List<String> lines = List.of(headText.split("\r\n"));
            String[] statusLine = lines.get(0).split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/")) {
                throw new IOException("not an HTTP answer: " + lines.get(0));
            }
            int status = Integer.parseInt(statusLine[1]);
            Map<String, List<String>> headers = new LinkedHashMap<>();
            for (String line : lines.subList(1, lines.size())) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            k -> new ArrayList<>()).add(line.substring(colon + 1).trim());
                }
            }
            if (status >= 100 && status < 200) {
                continue; // 100 Continue: the real answer follows
            }
            byte[] body = status < 400 || head ? new byte[0] : body(in, headers);
            return new Answer(Outcome.ANSWERED, status, headers, body, "");
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            bytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
            if (bytes.size() > MAX_HEAD) {
                throw new IOException("answer head larger than " + MAX_HEAD);
            }
        }
        if (matched < 4) {
            if (bytes.size() == 0) {
                return null;
            }
            throw new IOException("answer head cut after " + bytes.size() + " bytes");
        }
        return bytes.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] body(InputStream in, Map<String, List<String>> headers) throws IOException {
        List<String> te = headers.getOrDefault("transfer-encoding", List.of());
        if (te.stream().anyMatch(v -> v.equalsIgnoreCase("chunked"))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (;;) {
                String size = line(in);
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    return out.toByteArray();
                }
                if (out.size() + n > MAX_ERROR_BODY) {
                    throw new IOException("error body larger than " + MAX_ERROR_BODY);
                }
                out.write(in.readNBytes(n));
                line(in);
            }
        }
        List<String> length = headers.get("content-length");
        if (length != null) {
            int n = Integer.parseInt(length.get(0));
            if (n > MAX_ERROR_BODY) {
                throw new IOException("error body of " + n + " bytes");
            }
            byte[] body = in.readNBytes(n);
            if (body.length < n) {
                throw new IOException("error body cut at " + body.length + " of " + n + " bytes");
            }
            return body;
        }
        return in.readNBytes(MAX_ERROR_BODY);
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder s = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (b != '\r') {
                s.append((char) b);
            }
        }
        if (b < 0) {
            throw new IOException("chunked error body cut");
        }
        return s.toString();
    }

    @Override
    public void close() {
        watchdog.shutdownNow();
    }
}
