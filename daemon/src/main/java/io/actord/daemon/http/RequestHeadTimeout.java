package io.actord.daemon.http;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Closes a connection whose request head (request line and headers) is not complete
 * {@link ConnectionLimits#headTimeoutSeconds()} after its first byte: a client that sends headers a byte at a time
 * would otherwise hold the connection for as long as it keeps sending. The idle timeout governs the wait for the
 * next request's first byte, and a request in progress (a long poll, a streamed body) has no deadline here.
 * <p>
 * One instance per connection, in two places: {@link #bytes()} before the HTTP codec sees a request's first byte
 * arrive, {@link #messages()} after it sees the request head decoded and the response written. A {@code 101}
 * response ends the HTTP part of the connection and with it this timeout. All calls come on the channel's event
 * loop.
 */
final class RequestHeadTimeout {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadTimeout.class);

    private enum Phase {
        /** Between requests: no byte of the next one yet. */
        IDLE,
        /** The next request's first byte came, its head not yet: the deadline runs. */
        HEAD,
        /** The head came, the body is still arriving. */
        BODY,
        /** The request is in, the response not yet all out; bytes now are a pipelined next request. */
        RESPONDING,
        /** The response went out before the request's body ended (an early error); the body still drains. */
        DRAINING,
        /** Switched protocols: no more HTTP requests on this connection. */
        UPGRADED
    }

    private final long timeoutSeconds;
    private Phase phase = Phase.IDLE;
    private boolean pipelined;
    private ScheduledFuture<?> deadline;

    RequestHeadTimeout(long timeoutSeconds) {
        this.timeoutSeconds = timeoutSeconds;
    }

    /** Goes before the HTTP codec. */
    ChannelHandler bytes() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (msg instanceof ByteBuf buf && buf.isReadable()) {
                    if (phase == Phase.IDLE) {
                        startHead(ctx);
                    } else if (phase == Phase.RESPONDING) {
                        pipelined = true;
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                cancel();
                ctx.fireChannelInactive();
            }
        };
    }

    /** Goes right after the HTTP codec. */
    ChannelHandler messages() {
        return new ChannelDuplexHandler() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                if (phase != Phase.UPGRADED) {
                    if (msg instanceof HttpRequest) {
                        cancel();
                        phase = Phase.BODY;
                    }
                    if (msg instanceof LastHttpContent) {
                        phase = phase == Phase.DRAINING ? betweenRequests(ctx) : Phase.RESPONDING;
                    }
                }
                ctx.fireChannelRead(msg);
            }

            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (msg instanceof HttpResponse response
                        && response.status().code() == HttpResponseStatus.SWITCHING_PROTOCOLS.code()) {
                    cancel();
                    phase = Phase.UPGRADED;
                } else if (msg instanceof LastHttpContent) {
                    if (phase == Phase.RESPONDING) {
                        phase = betweenRequests(ctx);
                    } else if (phase == Phase.BODY) {
                        phase = Phase.DRAINING;
                    }
                }
                ctx.write(msg, promise);
            }
        };
    }

    /** After a request and its response: the next request may have begun already. */
    private Phase betweenRequests(ChannelHandlerContext ctx) {
        if (pipelined) {
            pipelined = false;
            startHead(ctx);
            return Phase.HEAD;
        }
        return Phase.IDLE;
    }

    private void startHead(ChannelHandlerContext ctx) {
        phase = Phase.HEAD;
        cancel();
        deadline = ctx.executor().schedule(() -> {
            if (phase == Phase.HEAD) {
                LOG.debug("request head not complete in {} s, closing remote={}", timeoutSeconds,
                        ctx.channel().remoteAddress());
                ctx.channel().close();
            }
        }, timeoutSeconds, TimeUnit.SECONDS);
    }

    private void cancel() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }
}
