package io.actord.daemon.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Refuses a request whose body length cannot be known for sure, right after the codec, so neither the API
 * nor the container-URL proxy behind it ever frames such a request (RFC 9112 6.1 and 6.3). The codec
 * itself already refuses Content-Length with chunked, duplicate lengths, obs-fold and bare LF; it frames a
 * request with an unknown Transfer-Encoding ({@code xchunked}) by its Content-Length, which a server
 * reading the Transfer-Encoding would frame otherwise: request smuggling. So any Transfer-Encoding but a
 * single {@code chunked}, and any Transfer-Encoding on HTTP/1.0, marks the request failed; the handlers
 * behind answer a failed request 400 and close the connection.
 */
@Sharable
public final class RequestFraming extends ChannelInboundHandlerAdapter {
    public static final RequestFraming INSTANCE = new RequestFraming();

    private RequestFraming() {
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req && req.decoderResult().isSuccess()) {
            String problem = problem(req);
            if (problem != null) {
                req.setDecoderResult(DecoderResult.failure(new IllegalArgumentException(problem)));
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** Why the request's framing is not trusted, or null when it is. */
    static String problem(HttpRequest req) {
        List<String> fields = req.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (fields.isEmpty()) {
            return null;
        }
        if (req.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
            return "Transfer-Encoding on an HTTP/1.0 request";
        }
        List<String> codings = new ArrayList<>();
        for (String field : fields) {
            for (String coding : field.split(",", -1)) {
                codings.add(coding.trim().toLowerCase(Locale.ROOT));
            }
        }
        if (!codings.equals(List.of("chunked"))) {
            return "Transfer-Encoding '" + String.join(", ", fields) + "' is not supported (only chunked)";
        }
        return null;
    }
}
