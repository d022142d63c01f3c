package io.actord.daemon.http.routes;

import io.actord.daemon.access.Caller;
import io.actord.daemon.http.ApiChannelInitializer;
import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.Router;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Raw HTTP/1.1 through the real API pipeline on an {@link EmbeddedChannel}, with handlers run inline. */
final class HttpExchange {
    static final int LIMIT = 10 * 1024 * 1024;

    private final EmbeddedChannel channel;

    /** Every request comes from the admin (an embedded channel is neither TCP nor a run's endpoint). */
    HttpExchange(Router router) {
        Caller admin = Caller.admin("adminUserId000001", "local");
        channel = new EmbeddedChannel(new ApiChannelInitializer(new ApiHandler(router, Runnable::run, LIMIT,
                (listener, runId, headers, query) -> admin), LIMIT, 60));
    }

    /** One response: status, lower-cased headers, body. */
    record Response(int status, Map<String, String> headers, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    Response send(String method, String path) {
        return send(method, path, null, new byte[0]);
    }

    Response send(String method, String path, String contentType, String body) {
        return send(method, path, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    Response send(String method, String path, String contentType, byte[] body) {
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: x\r\n");
        if (contentType != null) {
            head.append("Content-Type: ").append(contentType).append("\r\n");
        }
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        ByteBuf req = Unpooled.buffer();
        req.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
        req.writeBytes(body);
        channel.writeInbound(req);
        channel.runPendingTasks();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        ByteBuf out;
        while ((out = channel.readOutbound()) != null) {
            byte[] b = new byte[out.readableBytes()];
            out.readBytes(b);
            raw.writeBytes(b);
            out.release();
        }
        return parse(raw.toByteArray(), method.equals("HEAD"));
    }

    private static Response parse(byte[] raw, boolean head) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] body = head ? new byte[0] : java.util.Arrays.copyOfRange(raw, end + 4, raw.length);
        return new Response(status, headers, body);
    }
}
