package io.actord.daemon.proxy;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;

/**
 * The run's side of a proxied connection, after the HTTP client codec: relays what the run's server sends
 * to the client connection and reads the next piece only once the previous one is written there
 * (backpressure, as in HexDumpProxy). It keeps reading between exchanges too, so a kept-alive connection
 * that the server closes is noticed; a server that talks out of turn is cut off. The frontend's current
 * {@link ProxyExchange} holds the exchange's state; both handlers run on the client connection's event
 * loop. After a 101 a {@link ByteTunnel} takes this handler's place.
 */
final class ProxyBackendHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyBackendHandler.class);

    private final ProxyFrontendHandler frontend;
    /**
     * The frontend handler's place in the client's pipeline: answers written there go straight to the codec,
     * past the API's handlers (they neither saw the request nor need to see its answer).
     */
    private final ChannelHandlerContext inbound;
    private ChannelFuture lastWrite;

    ProxyBackendHandler(ProxyFrontendHandler frontend, ChannelHandlerContext inbound) {
        this.frontend = frontend;
        this.inbound = inbound;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!frontend.expectsResponse(ctx.channel())) {
            ReferenceCountUtil.release(msg);
            ctx.close();
            return;
        }
        if (msg instanceof HttpResponse res) {
            frontend.responseHead(res);
        }
        lastWrite = inbound.write(msg);
        if (msg instanceof LastHttpContent) {
            frontend.responseEnd();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ChannelFuture written = lastWrite;
        lastWrite = null;
        if (written == null) {
            ctx.read();
            return;
        }
        inbound.flush();
        written.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                ctx.read();
            } else {
                ctx.close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        frontend.backendClosed(ctx.channel());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("proxy backend connection error remote={} error=\"{}\"", ctx.channel().remoteAddress(),
                    cause.getMessage());
        } else {
            LOG.warn("proxy backend connection failed remote={}", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
