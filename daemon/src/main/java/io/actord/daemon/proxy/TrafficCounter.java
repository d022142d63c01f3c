package io.actord.daemon.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

import java.util.function.Supplier;

/**
 * First in a backend connection's pipeline, next to the socket: counts the bytes read from and written to the
 * container's server as {@link ProxyTraffic} (it stays when a WebSocket tunnel removes the HTTP codec).
 */
@Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    private final Supplier<ProxyTraffic> traffic;

    TrafficCounter(Supplier<ProxyTraffic> traffic) {
        this.traffic = traffic;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf buf) {
            traffic.get().bytes(0, buf.readableBytes());
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf buf) {
            traffic.get().bytes(buf.readableBytes(), 0);
        }
        ctx.write(msg, promise);
    }
}
