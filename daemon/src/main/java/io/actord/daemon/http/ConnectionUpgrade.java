package io.actord.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Hands an API connection over to another protocol after a {@link ApiResponse.Upgrade} (as Docker's exec start
 * hijacks its connection): the HTTP handlers leave the pipeline, the 101 is written by the codec, and the codec
 * leaves last, handing on any bytes it had read past the request to the new handler. The client sends nothing
 * of the new protocol before it has the 101, so nothing is lost or parsed as HTTP in between.
 */
public final class ConnectionUpgrade {
    /**
     * The user event the new handler gets once the 101 is on its way and HTTP has left the pipeline: from then on
     * it may write (whatever it writes before would reach the HTTP encoder).
     */
    public static final Object DONE = new Object() {
        @Override
        public String toString() {
            return "connection upgraded";
        }
    };
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionUpgrade.class);
    /** What {@link ApiChannelInitializer} adds behind the codec, but the head timeout ("gate", TCP's count, stays). */
    private static final List<String> HTTP_HANDLERS = List.of("framing", "idle", "front", "aggregator", "keepalive",
            "api");
    /** The head timeout's, which see the 101 go out (and end their deadline) before they leave with the codec. */
    private static final List<String> HEAD_TIMEOUT = List.of("head-bytes", "head-messages");

    private ConnectionUpgrade() {
    }

    /** On the channel's event loop, so no read comes in between. */
    static void takeOver(Channel channel, ApiResponse.Upgrade upgrade, String requestId) {
        channel.eventLoop().execute(() -> {
            if (!channel.isActive()) {
                upgrade.abandoned().run();
                return;
            }
            try {
                ChannelPipeline p = channel.pipeline();
                HTTP_HANDLERS.stream().filter(name -> p.get(name) != null).forEach(p::remove);
                p.addLast("upgraded", upgrade.handler().get());
                FullHttpResponse head = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.SWITCHING_PROTOCOLS);
                head.headers().set(HttpHeaderNames.UPGRADE, upgrade.protocol())
                        .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE)
                        .set("X-Request-Id", requestId);
                upgrade.headers().forEach(head.headers()::set);
                // On the event loop the codec encodes the head right away, so it may leave next.
                p.writeAndFlush(head);
                HEAD_TIMEOUT.stream().filter(name -> p.get(name) != null).forEach(p::remove);
                p.remove(HttpServerCodec.class);
                p.fireUserEventTriggered(DONE);
            } catch (RuntimeException e) {
                LOG.warn("request id={} upgrade to {} failed", requestId, upgrade.protocol(), e);
                upgrade.abandoned().run();
                channel.close();
            }
        });
    }
}
