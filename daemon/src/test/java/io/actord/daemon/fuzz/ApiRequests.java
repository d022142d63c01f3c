package io.actord.daemon.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * Generates one raw HTTP request per case: a route of the daemon's table (its method, or another) with
 * real, mutated or junk path parameters, a query with known and unknown parameters and malformed escapes,
 * headers duplicated, oversized or odd (Content-Length, Transfer-Encoding, Content-Type, Content-Encoding,
 * Expect, folding, bare LF), a body from {@link JsonBodies}, and the credentials of one {@link Caller}.
 */
final class ApiRequests {
    /** Who sends the request, and over what. */
    enum Caller { ANONYMOUS, USER, ADMIN, ADMIN_SOCKET }

    /** A route of the table: its method and path template. */
    record RouteShape(String method, String template) {
    }

    /**
     * A request as bytes. {@code complete}: its framing is whole, so the server must answer (an incomplete one,
     * a Content-Length past the body, is sent with the output shut, and may be closed without an answer).
     */
    record Request(Caller caller, String method, String target, byte[] bytes, boolean complete, boolean head,
                   String summary) {
    }

    private static final List<String> METHODS = List.of("GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH",
            "TRACE", "CONNECT", "get", "FOO", "G\u00c9T");
    private static final List<String> QUERY_NAMES = List.of("limit", "offset", "desc", "clean", "format", "fields",
            "omit", "unwind", "token", "waitForFinish", "timeout", "memory", "build", "exclusiveStartKey",
            "exclusiveStartId", "key", "clientKey", "lockSecs", "forefront", "status", "stream", "download", "raw",
            "webhooks", "prefix", "delimiter", "cursor", "outputRecordKey", "targetActorId", "gracefully", "name",
            "network", "tag", "filter", "forcePermissionLevel", "skipEmpty", "attachment", "maxItems", "restartOnError",
            "maxTotalChargeUsd", "contentType", "collection", "signature", "");
    private static final List<String> CONTENT_TYPES = List.of("application/json", "application/json; charset=utf-8",
            "application/json; charset=utf-16", "text/plain", "application/octet-stream", "multipart/form-data",
            "multipart/form-data; boundary=", "application/x-www-form-urlencoded", "image/png", "*/*", ";;;",
            "application/json; charset=nonsense", "");

    /** 64 MiB of zeros, gzipped (about 64 KiB): decoded, far past the body limit. */
    private static final byte[] GZIP_BOMB = gzip(new byte[64 << 20]);

    private final List<RouteShape> routes;
    private final FuzzValues values;
    private final JsonBodies bodies;
    private final String adminToken;
    private final String userToken;

    ApiRequests(List<RouteShape> routes, FuzzValues values, JsonBodies bodies, String adminToken, String userToken) {
        this.routes = routes;
        this.values = values;
        this.bodies = bodies;
        this.adminToken = adminToken;
        this.userToken = userToken;
    }

    Request next(Random r) {
        Caller caller = pick(r, 25, 35, 30, 10);
        boolean hostile = r.nextInt(3) == 0; // else only the path, query, credentials and body are fuzzed
        RouteShape route = routes.get(r.nextInt(routes.size()));
        String method = hostile && r.nextInt(3) == 0 ? METHODS.get(r.nextInt(METHODS.size())) : route.method();
        String target = path(r, route.template()) + query(r, caller);
        StringBuilder summary = new StringBuilder(caller + " " + method + " " + shorten(target));
        String eol = hostile && r.nextInt(15) == 0 ? "\n" : "\r\n";
        String version = hostile && r.nextInt(8) == 0 ? List.of("HTTP/1.0", "HTTP/0.9", "HTTP/1.2", "HTTP/2.0", "HTTP/1.1 x",
                "", "http/1.1").get(r.nextInt(7)) : "HTTP/1.1";
        List<String> headers = new ArrayList<>();
        if (r.nextInt(30) != 0) {
            headers.add("Host: " + (r.nextInt(20) == 0 ? FuzzValues.randomAscii(r, r.nextInt(30)) : "127.0.0.1"));
        }
        headers.add("Connection: " + (r.nextInt(15) == 0 ? "keep-alive, Upgrade" : "close"));
        credentials(r, caller, headers, summary);
        boolean withBody = method.equals("POST") || method.equals("PUT") ? r.nextInt(8) != 0 : r.nextInt(8) == 0;
        JsonBodies.Body body = withBody ? bodies.body(r, route.template()) : new JsonBodies.Body("none", new byte[0]);
        summary.append(" body=").append(body.kind());
        byte[] payload = body.bytes();
        if (withBody && r.nextInt(4) != 0) {
            headers.add("Content-Type: " + CONTENT_TYPES.get(r.nextInt(CONTENT_TYPES.size())));
        }
        if (hostile && r.nextInt(3) == 0) {
            payload = encode(r, payload, headers, summary);
        }
        if (hostile) {
            oddHeaders(r, headers, summary);
        }
        Framing framing = frame(r, hostile ? r.nextInt(40) : 40, payload, headers, summary);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((method + " " + target + (version.isEmpty() ? "" : " " + version) + eol)
                .getBytes(StandardCharsets.UTF_8));
        for (String h : headers) {
            out.writeBytes((h + eol).getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(eol.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(framing.body());
        return new Request(caller, method, target, out.toByteArray(), framing.complete(), method.equals("HEAD"),
                summary.toString());
    }

    private static Caller pick(Random r, int... weights) {
        int n = r.nextInt(100);
        for (int i = 0; i < weights.length; i++) {
            n -= weights[i];
            if (n < 0) {
                return Caller.values()[i];
            }
        }
        return Caller.values()[weights.length - 1];
    }

    private static String shorten(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...(" + s.length() + " chars)";
    }

    /** The template with its parameters filled; now and then a segment added, dropped or doubled. */
    private String path(Random r, String template) {
        List<String> segments = new ArrayList<>();
        for (String seg : template.substring(1).split("/", -1)) {
            if (seg.startsWith("{") && seg.endsWith("}")) {
                String name = seg.substring(1, seg.length() - 1).replace("+", "");
                String v = values.pathValue(r, name);
                segments.add(r.nextInt(5) == 0 ? v : URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20"));
            } else {
                segments.add(seg);
            }
        }
        switch (r.nextInt(16)) {
            case 0 -> segments.add(FuzzValues.mutate(r, "x"));
            case 1 -> segments.remove(segments.size() - 1);
            case 2 -> segments.add("");
            case 3 -> segments.add(r.nextInt(segments.size() + 1), "..");
            case 4 -> segments.set(r.nextInt(segments.size()), FuzzValues.randomAscii(r, r.nextInt(12))
                    .replace(' ', '_').replace('#', '_').replace('?', '_'));
            case 5 -> segments.add("x".repeat(r.nextBoolean() ? 5_000 : 70_000));
            default -> { }
        }
        return (r.nextInt(40) == 0 ? "//" : "/") + String.join("/", segments);
    }

    private static final int MAX_QUERY = 1 << 20;

    private String query(Random r, Caller caller) {
        if (r.nextBoolean()) {
            return "";
        }
        StringBuilder q = new StringBuilder("?");
        // Up to 1 MB: far past what the server reads of a request line, and a bound on the generator itself (300
        // parameters of a long value repeated 50 times took the test JVM's 256 MB heap: seed 5921365201572286164).
        for (int i = 1 + r.nextInt(r.nextInt(10) == 0 ? 300 : 4); i > 0 && q.length() < MAX_QUERY; i--) {
            if (q.length() > 1) {
                q.append(r.nextInt(20) == 0 ? "&&" : "&");
            }
            String name = QUERY_NAMES.get(r.nextInt(QUERY_NAMES.size()));
            String value = r.nextBoolean() ? values.number(r) : values.string(r);
            q.append(r.nextInt(10) == 0 ? FuzzValues.mutate(r, name) : name);
            if (r.nextInt(12) != 0) {
                q.append(r.nextInt(30) == 0 ? "==" : "=");
                q.append(r.nextInt(6) == 0 ? FuzzValues.mutate(r, value).replace(' ', '+').replace('#', '!')
                        : URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    private void credentials(Random r, Caller caller, List<String> headers, StringBuilder summary) {
        Optional<String> token = switch (caller) {
            case ANONYMOUS, ADMIN_SOCKET -> Optional.empty();
            case USER -> Optional.of(userToken);
            case ADMIN -> Optional.of(adminToken);
        };
        if (r.nextInt(15) == 0) {
            token = Optional.of(FuzzValues.mutate(r, token.orElse("apify_api_x")));
            summary.append(" badToken");
        }
        token.ifPresent(t -> headers.add("Authorization: " + (r.nextInt(20) == 0 ? "bearer  " : "Bearer ") + t));
        if (r.nextInt(25) == 0) {
            headers.add("Authorization: " + List.of("Basic Zm9vOmJhcg==", "Bearer", "Bearer ", "x".repeat(9000),
                    "Bearer apify_api_" + "A".repeat(36)).get(r.nextInt(5)));
            summary.append(" extraAuth");
        }
    }

    private static byte[] encode(Random r, byte[] payload, List<String> headers, StringBuilder summary) {
        String coding = List.of("gzip", "br", "deflate", "zstd", "gzip, gzip", "identity", "x-gzip", "compress")
                .get(r.nextInt(8));
        headers.add("Content-Encoding: " + coding);
        summary.append(" encoding=").append(coding);
        if (coding.startsWith("gzip") && r.nextBoolean()) {
            return r.nextInt(3) == 0 ? GZIP_BOMB : gzip(payload);
        }
        return payload;
    }

    private static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void oddHeaders(Random r, List<String> headers, StringBuilder summary) {
        int n = r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String h = switch (r.nextInt(14)) {
                case 0 -> "X-Big: " + "x".repeat(r.nextBoolean() ? 7_000 : 70_000);
                case 1 -> "X-Many: 1\r\nX-Many: 2\r\nX-Many: 3";
                case 2 -> "X-Folded: a\r\n  folded";
                case 3 -> "NoColon";
                case 4 -> ": empty-name";
                case 5 -> "Expect: 100-continue";
                case 6 -> "Expect: 200-ok";
                case 7 -> "Upgrade: websocket";
                case 8 -> "Origin: http://127.0.0.1:9";
                case 9 -> "Range: bytes=0-1,-5,x";
                case 10 -> "Accept-Encoding: br, gzip, zstd, *";
                case 11 -> "X-Forwarded-For: 127.0.0.1, ::1";
                case 12 -> "Host: 127.0.0.1:1";
                default -> "X-\u00ff: \u00ff";
            };
            headers.add(h);
            String first = h.split("\r\n")[0];
            summary.append(" header=").append(first, 0, Math.min(40, first.length()));
        }
        if (r.nextInt(20) == 0) {
            for (int i = 0; i < 500; i++) {
                headers.add("X-H" + i + ": " + i);
            }
            summary.append(" 500headers");
        }
    }

    private record Framing(byte[] body, boolean complete) {
    }

    /** Content-Length or chunked as they should be, mostly; else duplicated, contradicting or wrong. */
    private static Framing frame(Random r, int pick, byte[] body, List<String> headers, StringBuilder summary) {
        String how;
        Framing f;
        switch (pick) {
            case 0 -> {
                how = "cl-and-chunked";
                headers.add("Content-Length: " + body.length);
                headers.add("Transfer-Encoding: chunked");
                f = new Framing(chunked(body), true);
            }
            case 1 -> {
                how = "xchunked";
                headers.add("Content-Length: " + body.length);
                headers.add("Transfer-Encoding: xchunked");
                f = new Framing(body, true);
            }
            case 2 -> {
                how = "duplicate-cl-same";
                headers.add("Content-Length: " + body.length);
                headers.add("Content-Length: " + body.length);
                f = new Framing(body, true);
            }
            case 3 -> {
                how = "duplicate-cl-different";
                headers.add("Content-Length: " + body.length);
                headers.add("Content-Length: " + (body.length + 1));
                f = new Framing(body, true);
            }
            case 4 -> {
                String v = List.of("-1", "abc", "99999999999999999999", "+5", " 5 ", "0x10", "1,1", "")
                        .get(r.nextInt(8));
                how = "cl=" + v;
                headers.add("Content-Length: " + v);
                f = new Framing(body, false);
            }
            case 5 -> {
                how = "cl-past-body";
                headers.add("Content-Length: " + (body.length + 1 + r.nextInt(100_000)));
                f = new Framing(body, false);
            }
            case 6 -> {
                how = "cl-short";
                headers.add("Content-Length: " + (body.length / 2));
                f = new Framing(body, true);
            }
            case 7 -> {
                how = "no-length";
                f = new Framing(body, true);
            }
            case 8 -> {
                how = "te-" + List.of("gzip", "chunked, gzip", "gzip, chunked", "identity", "chunked;x=1").get(r.nextInt(5));
                headers.add("Transfer-Encoding: " + how.substring(3));
                f = new Framing(chunked(body), false);
            }
            case 9 -> {
                how = "bad-chunks";
                headers.add("Transfer-Encoding: chunked");
                f = new Framing(("zz\r\n" + new String(body, StandardCharsets.ISO_8859_1)).getBytes(
                        StandardCharsets.ISO_8859_1), true);
            }
            case 10, 11, 12, 13 -> {
                how = "chunked";
                headers.add("Transfer-Encoding: chunked");
                f = new Framing(chunked(body), true);
            }
            default -> {
                how = "cl";
                headers.add("Content-Length: " + body.length);
                f = new Framing(body, true);
            }
        }
        summary.append(" framing=").append(how).append(" bytes=").append(body.length);
        return f;
    }

    private static byte[] chunked(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int chunk = 8192;
        for (int off = 0; off < body.length; off += chunk) {
            int n = Math.min(chunk, body.length - off);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, off, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
