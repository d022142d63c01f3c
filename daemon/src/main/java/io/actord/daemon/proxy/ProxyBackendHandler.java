package io.actord.daemon.proxy;

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
 * to the client connection, flushing once per read batch (a few socket reads, {@link
 * ContainerProxy#READS_PER_BATCH}: one write to the client, and one wakeup of it, for the lot). Backpressure
 * by the client connection's writability: when more than its high water mark is still waiting to be written
 * after a flush, this channel's AUTO_READ goes off, and the frontend turns it on again when the client has
 * taken enough ({@link ProxyFrontendHandler#channelWritabilityChanged}); so at most the high water mark and
 * one batch are buffered, whatever the answer's size, and a client that keeps up costs no epoll_ctl calls. It keeps
 * reading between exchanges too, so a kept-alive connection that the server closes is noticed; a server
 * that talks out of turn is cut off. The frontend's current
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
    /** Something was written to the client since the last flush. */
    private boolean wrote;

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
        inbound.write(msg);
        wrote = true;
        if (msg instanceof LastHttpContent) {
            frontend.responseEnd();
        }
    }

    /** Flushes once per read batch; reading goes on unless the client could not take it (see the class comment). */
    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (wrote) {
            wrote = false;
            inbound.flush();
            if (!inbound.channel().isWritable()) {
                ctx.channel().config().setAutoRead(false);
            }
        }
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
