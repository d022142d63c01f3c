package io.actord.daemon.proxy;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

import java.nio.charset.StandardCharsets;

/**
 * The proxy's own answers, for people at a browser or curl rather than API clients: short plain-text
 * pages that say what happened and what to do. The only place they are made.
 */
final class ProxyPages {
    /** Unknown and finished runs' tokens get the same page: it tells nothing about which tokens exist. */
    static final String NOT_FOUND = "No running actor run has this container URL. The run may have finished"
            + " (resurrect it to serve it again), or the URL may be mistyped.";

    private ProxyPages() {
    }

    /** One of the pages; {@code head} leaves the body out (HEAD), {@code close} ends the connection after it. */
    static FullHttpResponse page(HttpResponseStatus status, String text, boolean head, boolean close) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        res.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (close) {
            res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        return res;
    }

    static String notListening(int port) {
        return "The actor run is running, but nothing listens on port " + port + " inside its container. An"
                + " actor's web server must listen on the port in ACTOR_WEB_SERVER_PORT (" + port + ").";
    }

    static String notStarted() {
        return "The actor run is still starting: its container is not running yet. Try again in a moment.";
    }

    static String closedEarly() {
        return "The actor run's web server closed the connection without answering.";
    }

    static String unreachable(String reason) {
        return "The proxy could not reach the actor run's web server: " + reason;
    }

    static String redirect(String location) {
        return "See " + location;
    }
}
