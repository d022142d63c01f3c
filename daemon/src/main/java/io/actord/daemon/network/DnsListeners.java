package io.actord.daemon.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.function.Consumer;

/**
 * The client side of {@link DnsForwarder}: the UDP listener and the TCP connections inside a run's namespace.
 * Both hand each message to {@link #handle}, which answers errors itself and sends the rest upstream. One
 * instance per {@link DnsForwarder#serve}: its listeners share the budget.
 */
final class DnsListeners {
    /** Queries are small; a larger datagram is cut by the kernel and then fails to parse. */
    static final int MAX_UDP_QUERY = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(DnsListeners.class);
    private static final int TCP_IDLE_SECONDS = 10;

    private final DnsForwarder.Upstreams upstreams;
    private final ListenerBudget budget;

    DnsListeners(DnsForwarder.Upstreams upstreams, ListenerBudget budget) {
        this.upstreams = upstreams;
        this.budget = budget;
    }

    /** The UDP listener's handler. */
    SimpleChannelInboundHandler<DatagramPacket> udp() {
        return new Udp();
    }

    /** The TCP listener's child handler. */
    ChannelInitializer<Channel> tcp() {
        return new TcpInitializer();
    }

    /**
     * Validates {@code message} and either answers at once (FORMERR, NOTIMP), drops it (too short, a
     * response, over budget) or forwards it; {@code reply} gets the answer on the channel's event loop.
     */
    private void handle(Channel channel, ByteBuf message, boolean tcp, Consumer<ByteBuf> reply) {
        RawDnsMessage query;
        try {
            query = RawDnsMessage.parse(message);
        } catch (MalformedDnsException e) {
            ByteBuf error = RawDnsMessage.formatError(channel.alloc(), message);
            LOG.debug("dns malformed query {}: {}", error == null ? "dropped" : "answered FORMERR", e.getMessage());
            if (error != null) {
                reply.accept(error);
            }
            return;
        }
        if (query.isResponse()) {
            return;
        }
        if (query.opcode() != 0) {
            reply.accept(query.error(channel.alloc(), message, DnsResponseCode.NOTIMP));
            return;
        }
        if (!budget.tryQuery()) {
            LOG.debug("dns query dropped, too many in flight: name={}", query.name());
            return;
        }
        Future<ByteBuf> answer = new UpstreamQuery(upstreams, channel.eventLoop(), message.retainedSlice(), query, tcp).start();
        answer.addListener(f -> {
            budget.queryDone();
            reply.accept(answer.getNow());
        });
    }

    /** The UDP listener: one channel, every datagram one query. */
    private final class Udp extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            InetSocketAddress sender = packet.sender();
            handle(ctx.channel(), packet.content(), false,
                    answer -> ctx.writeAndFlush(new DatagramPacket(answer, sender)));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A send to a client that went away (ICMP unreachable) must not close the listener.
            LOG.debug("dns udp listener: {}", cause.toString());
        }
    }

    /** Each accepted TCP connection: length-prefixed messages (RFC 1035 §4.2.2), answered as they come. */
    private final class TcpInitializer extends ChannelInitializer<Channel> {
        @Override
        protected void initChannel(Channel ch) {
            if (!budget.tryConnection()) {
                LOG.debug("dns tcp connection refused, too many open");
                ch.close();
                return;
            }
            ch.closeFuture().addListener(f -> budget.connectionClosed());
            ch.pipeline().addLast(new IdleStateHandler(0, 0, TCP_IDLE_SECONDS),
                    new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2),
                    new LengthFieldPrepender(2),
                    new Tcp());
        }
    }

    private final class Tcp extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            handle(ctx.channel(), frame, true, answer -> {
                if (ctx.channel().isActive()) {
                    ctx.writeAndFlush(answer);
                } else {
                    answer.release();
                }
            });
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof IdleStateEvent) {
                ctx.close();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("dns tcp connection closed: {}", cause.toString());
            ctx.close();
        }
    }
}
