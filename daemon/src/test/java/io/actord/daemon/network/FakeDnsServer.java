package io.actord.daemon.network;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An upstream resolver for tests, on 127.0.0.1 (UDP and TCP on the same port), built on Netty's DNS codec:
 * it answers every A question with {@link #address}, or misbehaves as its {@link Mode} says, and records
 * what it was asked.
 */
final class FakeDnsServer implements AutoCloseable {
    enum Mode { ANSWER, SILENT, SERVFAIL, SPOOF_FIRST }

    /** One question as received: its name and whether it came over TCP. */
    record Asked(String name, boolean tcp) {
    }

    private final EventLoopGroup group = new NioEventLoopGroup(1);
    private final InetAddress address;
    private final Mode mode;
    private final List<Asked> asked = new CopyOnWriteArrayList<>();
    private final Channel udp;
    private final Channel tcp;

    FakeDnsServer(Mode mode, InetAddress address) {
        this.mode = mode;
        this.address = address;
        this.udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                .handler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                new Responder(false));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).syncUninterruptibly().channel();
        int port = ((InetSocketAddress) udp.localAddress()).getPort();
        this.tcp = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(), new Responder(true));
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", port)).syncUninterruptibly().channel();
    }

    InetSocketAddress socketAddress() {
        return (InetSocketAddress) udp.localAddress();
    }

    List<Asked> asked() {
        return asked;
    }

    @Override
    public void close() {
        udp.close().syncUninterruptibly();
        tcp.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private final class Responder extends SimpleChannelInboundHandler<DnsQuery> {
        private final boolean overTcp;

        Responder(boolean overTcp) {
            this.overTcp = overTcp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DnsQuery query) {
            DnsQuestion question = query.recordAt(DnsSection.QUESTION);
            asked.add(new Asked(question.name(), overTcp));
            switch (mode) {
                case SILENT -> { }
                case SERVFAIL -> ctx.writeAndFlush(response(query, query.id(), question.name(), DnsResponseCode.SERVFAIL));
                case SPOOF_FIRST -> {
                    ctx.write(response(query, query.id() ^ 0x5a5a, question.name(), DnsResponseCode.NOERROR));
                    ctx.write(response(query, query.id(), "other.test.", DnsResponseCode.NOERROR));
                    ctx.writeAndFlush(response(query, query.id(), question.name(), DnsResponseCode.NOERROR));
                }
                case ANSWER -> ctx.writeAndFlush(response(query, query.id(), question.name(), DnsResponseCode.NOERROR));
            }
        }

        private DnsResponse response(DnsQuery query, int id, String name, DnsResponseCode code) {
            DnsResponse response = query instanceof DatagramDnsQuery datagram
                    ? new DatagramDnsResponse(datagram.recipient(), datagram.sender(), id)
                    : new DefaultDnsResponse(id);
            response.setCode(code).setRecursionAvailable(true);
            response.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, DnsRecordType.A));
            if (code == DnsResponseCode.NOERROR) {
                response.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(name, DnsRecordType.A, 60,
                        Unpooled.wrappedBuffer(address.getAddress())));
            }
            return response;
        }
    }
}
