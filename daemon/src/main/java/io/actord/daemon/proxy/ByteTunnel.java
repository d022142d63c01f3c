package io.actord.daemon.proxy;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpServerCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * One direction of an upgraded connection (after a {@code 101 Switching Protocols}, e.g. WebSocket): the
 * bytes read on its channel go to the peer as they are. Netty's HexDumpProxy relay: both channels have
 * AUTO_READ off and a channel is read again only once what it gave was written to the peer, so at most one
 * socket read is buffered per direction; when one side closes, the other is closed once what was written
 * to it is flushed. Both channels share one event loop; not thread-safe beyond that.
 */
final class ByteTunnel extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ByteTunnel.class);

    private final Channel peer;
    private final String side;
    private ChannelFuture lastWrite;

    private ByteTunnel(Channel peer, String side) {
        this.peer = peer;
        this.side = side;
    }

    /**
     * Turns a client connection and its backend connection into a tunnel, once the run's 101 is written to
     * the client (and before it is flushed). Called while the backend's read that brought the 101 is being
     * delivered: the backend's end of that read comes to its new handler, which flushes the 101 and reads on.
     *
     * @param front       the client-side handler that the tunnel replaces
     * @param apiHandlers the client pipeline's HTTP handlers behind {@code front}, which a tunnel needs none of
     * @param relay       the backend-side handler that the tunnel replaces
     */
    static void join(ChannelHandlerContext front, List<String> apiHandlers, Channel backend, ChannelHandler relay) {
        ChannelPipeline client = front.pipeline();
        ChannelPipeline run = backend.pipeline();
        // The encoders go first: removing a decoder hands on the bytes it held (what came with the 101, or
        // after the upgrade request), and the other side must write them as they are.
        client.get(HttpServerCodec.class).removeOutboundHandler();
        run.get(HttpClientCodec.class).removeOutboundHandler();
        client.channel().config().setAutoRead(false);
        apiHandlers.stream().filter(name -> client.get(name) != null).forEach(client::remove);
        client.replace(front.handler(), "tunnel", new ByteTunnel(backend, "client"));
        run.replace(relay, "tunnel", new ByteTunnel(client.channel(), "run"));
        run.remove(HttpClientCodec.class);
        client.remove(HttpServerCodec.class);
        client.channel().read();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastWrite = peer.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ChannelFuture written = lastWrite;
        lastWrite = null;
        peer.flush();
        if (written == null) {
            ctx.read();
            return;
        }
        written.addListener((ChannelFuture f) -> {
            if (f.isSuccess()) {
                ctx.read();
            } else {
                f.channel().close();
            }
        });
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (peer.isActive()) {
            peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof IOException) {
            LOG.debug("proxy tunnel {} connection error remote={} error=\"{}\"", side, ctx.channel().remoteAddress(),
                    cause.getMessage());
        } else {
            LOG.warn("proxy tunnel {} connection failed remote={}", side, ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
