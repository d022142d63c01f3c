package io.actord.daemon.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client query on its way through the upstreams, in order: each attempt gets a fresh socket (a random
 * source port, as resolvers do against off-path spoofing) and a fresh random id, over the transport the
 * client used (UDP, or TCP when the client asked over TCP, e.g. after a truncated answer). A reply counts
 * only if it is a response with the attempt's id and the query's question; anything else on the socket is
 * ignored and the attempt keeps waiting. An attempt that fails (refused, closed, timed out, or answered
 * SERVFAIL/REFUSED/NOTIMP while another upstream is left) moves on to the next upstream; each attempt gets
 * an equal share of the time left. The client's answer carries its own id again; SERVFAIL when nothing
 * answered in time.
 *
 * <p>Thread-safety: everything runs on {@link #loop}, the client listener's event loop, whose thread is in
 * the host's namespace ({@link DnsForwarder}); the upstream channels are created and registered there.
 */
final class UpstreamQuery {
    private static final Logger LOG = LoggerFactory.getLogger(UpstreamQuery.class);
    private static final SecureRandom IDS = new SecureRandom();
    private static final int MAX_MESSAGE = 65535;

    private final DnsForwarder.Upstreams upstreams;
    private final EventLoop loop;
    private final ByteBuf query;
    private final RawDnsMessage parsed;
    private final boolean tcp;
    private final Promise<ByteBuf> result;
    private final long deadline;
    private ByteBuf lastAnswer;

    /** Takes ownership of {@code query} (released once the answer is known). */
    UpstreamQuery(DnsForwarder.Upstreams upstreams, EventLoop loop, ByteBuf query, RawDnsMessage parsed, boolean tcp) {
        this.upstreams = upstreams;
        this.loop = loop;
        this.query = query;
        this.parsed = parsed;
        this.tcp = tcp;
        this.result = loop.newPromise();
        this.deadline = System.nanoTime() + upstreams.timeout().toNanos();
    }

    /** The answer for the client (its own id), never failed: SERVFAIL stands for every failure. */
    Future<ByteBuf> start() {
        loop.execute(() -> attempt(0));
        return result;
    }

    private void attempt(int index) {
        List<InetSocketAddress> servers = upstreams.servers();
        long left = deadline - System.nanoTime();
        if (index >= servers.size() || left <= 0) {
            finish();
            return;
        }
        new Attempt(index, servers.get(index), left / (servers.size() - index)).begin();
    }

    private void finish() {
        ByteBuf answer = lastAnswer != null ? lastAnswer
                : parsed.error(query.alloc(), query, DnsResponseCode.SERVFAIL);
        lastAnswer = null;
        answer.setShort(0, parsed.id());
        query.release();
        result.setSuccess(answer);
    }

    /** One upstream, one socket, one id. */
    private final class Attempt extends SimpleChannelInboundHandler<Object> {
        private final int index;
        private final InetSocketAddress server;
        private final long nanos;
        private final int id = IDS.nextInt(1 << 16);
        private ScheduledFuture<?> timer;
        private Channel channel;
        private boolean done;

        Attempt(int index, InetSocketAddress server, long nanos) {
            this.index = index;
            this.server = server;
            this.nanos = nanos;
        }

        void begin() {
            timer = loop.schedule(() -> fail("no answer in " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms"),
                    nanos, TimeUnit.NANOSECONDS);
            Bootstrap bootstrap = new Bootstrap().group(loop);
            if (tcp) {
                bootstrap.channel(upstreams.transport().socket())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, TimeUnit.NANOSECONDS.toMillis(nanos)))
                        .handler(new ChannelInitializer<>() {
                            @Override
                            protected void initChannel(Channel ch) {
                                ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_MESSAGE, 0, 2, 0, 2),
                                        new LengthFieldPrepender(2), Attempt.this);
                            }
                        });
            } else {
                bootstrap.channel(upstreams.transport().datagram())
                        .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_MESSAGE))
                        .handler(this);
            }
            // Connected UDP: the kernel drops datagrams from any other address or port.
            bootstrap.connect(server).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    fail("connect: " + f.cause());
                    return;
                }
                channel = f.channel();
                if (done) {
                    channel.close();
                    return;
                }
                channel.writeAndFlush(RawDnsMessage.withId(query, id)).addListener((ChannelFutureListener) w -> {
                    if (!w.isSuccess()) {
                        fail("send: " + w.cause());
                    }
                });
            });
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            ByteBuf message = msg instanceof DatagramPacket packet ? packet.content() : (ByteBuf) msg;
            RawDnsMessage reply;
            try {
                reply = RawDnsMessage.parse(message);
            } catch (MalformedDnsException e) {
                LOG.debug("dns upstream={} malformed reply ignored: {}", server, e.getMessage());
                return;
            }
            if (reply.id() != id || !parsed.isAnsweredBy(reply)) {
                LOG.debug("dns upstream={} unmatched reply ignored id={} name={}", server, reply.id(), reply.name());
                return;
            }
            succeed(message.copy(), reply.rcode());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail("connection closed");
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A connected UDP socket reports an ICMP port unreachable here (PortUnreachableException).
            fail(cause.toString());
        }

        private void succeed(ByteBuf answer, int rcode) {
            if (!end()) {
                answer.release();
                return;
            }
            ReferenceCountUtil.release(lastAnswer);
            lastAnswer = answer;
            boolean retryable = rcode == DnsResponseCode.SERVFAIL.intValue() || rcode == DnsResponseCode.REFUSED.intValue()
                    || rcode == DnsResponseCode.NOTIMP.intValue();
            if (retryable && index + 1 < upstreams.servers().size()) {
                LOG.debug("dns upstream={} answered rcode={}, trying the next", server, rcode);
                attempt(index + 1);
            } else {
                finish();
            }
        }

        private void fail(String why) {
            if (end()) {
                LOG.debug("dns upstream={} name={} failed: {}", server, parsed.name(), why);
                attempt(index + 1);
            }
        }

        /** Ends this attempt once: cancels its timer and closes its socket; false if it had ended already. */
        private boolean end() {
            if (done) {
                return false;
            }
            done = true;
            timer.cancel(false);
            if (channel != null) {
                channel.close();
            }
            return true;
        }
    }
}
