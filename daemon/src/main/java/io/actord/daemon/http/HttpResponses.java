package io.actord.daemon.http;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Turns {@link ApiResponse}s into Netty messages. */
final class HttpResponses {
    static final String REQUEST_ID = "X-Request-Id";

    private HttpResponses() {
    }

    /** A full response; for HEAD the length is kept and the body left out. */
    static FullHttpResponse full(ApiResponse.Full r, String requestId, boolean head) {
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        if (r.contentType() != null) {
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        }
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.body().length);
        res.headers().set(REQUEST_ID, requestId);
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        return res;
    }

    /** The head of a chunked response; the body follows as HttpContent chunks. */
    static HttpResponse streamedHead(ApiResponse.Streamed r, String requestId) {
        HttpResponse res = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(r.status()));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, r.contentType());
        res.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        res.headers().set(REQUEST_ID, requestId);
        r.headers().forEach((k, v) -> res.headers().set(k, v));
        return res;
    }
}
