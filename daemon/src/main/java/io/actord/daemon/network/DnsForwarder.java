package io.actord.daemon.network;

import io.actord.runtime.network.Cidr;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.EventExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Forwards DNS from listeners inside runs' network namespaces to upstream resolvers (Netty + netty-codec-dns),
 * as Docker's embedded DNS server does: a run's resolv.conf says 127.0.0.11, where {@link #serve} binds a UDP
 * and a TCP listener inside the run's namespace, and every query is asked again from a socket in the
 * host's namespace, so the host's own resolver works even on loopback (systemd-resolved's 127.0.0.53).
 *
 * <p><b>Which socket lives in which namespace.</b> A socket belongs to the network namespace of the thread
 * that created it (kernel-notes.md), and a thread starts in the namespaces of the thread that created it.
 * {@link #serve} is meant to be called on a thread that setns()ed into a run's namespace (NamespaceEntry,
 * NetworkNamespaces.call): the two listener sockets are created right there, on the calling thread. The
 * upstream sockets must never be: they are created per query by {@link UpstreamQuery} on the event loop
 * that serves the listener. That is safe only if every event-loop thread of the group was started from the
 * host's namespace — Netty starts a loop's thread lazily, from whichever thread first hands it a task,
 * which could be the setns()ed caller of {@code serve} — so the constructor (called on an ordinary host
 * thread) starts them all.
 *
 * <p>Each message is parsed with Netty's DNS record decoder before anything is sent ({@link RawDnsMessage}):
 * too short or a response: dropped; malformed with a readable header: FORMERR; an opcode other than QUERY:
 * NOTIMP. A hostile run can keep at most {@code maxInFlight} queries waiting per listener pair (more are
 * dropped, as an overloaded resolver does) and {@code maxInFlight / 4} TCP connections (idle ones close).
 */
public final class DnsForwarder implements AutoCloseable {
    public static final int DEFAULT_MAX_IN_FLIGHT = 128;
    private static final Logger LOG = LoggerFactory.getLogger(DnsForwarder.class);
    private static final int PORT = 53;

    /** The channel classes that go with the group's transport. */
    record Transport(Supplier<Channel> newDatagram, Class<? extends Channel> datagram,
                     Supplier<ServerChannel> newServer, Class<? extends Channel> socket) {
        static Transport of(EventLoopGroup group) {
            return group instanceof EpollEventLoopGroup
                    ? new Transport(EpollDatagramChannel::new, EpollDatagramChannel.class, EpollServerSocketChannel::new,
                    EpollSocketChannel.class)
                    : new Transport(NioDatagramChannel::new, NioDatagramChannel.class, NioServerSocketChannel::new,
                    NioSocketChannel.class);
        }
    }

    /** Where queries go and how long they may take, for {@link UpstreamQuery}. */
    record Upstreams(List<InetSocketAddress> servers, Duration timeout, Transport transport) {
    }

    private final EventLoopGroup group;
    private final Upstreams upstreams;
    private final int maxInFlight;
    private final Set<Listeners> open = ConcurrentHashMap.newKeySet();

    public DnsForwarder(EventLoopGroup group, List<InetSocketAddress> upstreams, Duration timeout) {
        this(group, upstreams, timeout, DEFAULT_MAX_IN_FLIGHT);
    }

    /**
     * @param group       event loops for listeners and upstream sockets; must not be shut down before this
     * @param upstreams   tried in order
     * @param timeout     for one query through all upstreams; then SERVFAIL
     * @param maxInFlight queries one {@link #serve} pair of listeners keeps waiting at most
     */
    public DnsForwarder(EventLoopGroup group, List<InetSocketAddress> upstreams, Duration timeout, int maxInFlight) {
        if (upstreams.isEmpty()) {
            throw new IllegalArgumentException("a DNS forwarder needs at least one upstream server");
        }
        if (timeout.isNegative() || timeout.isZero() || maxInFlight < 1) {
            throw new IllegalArgumentException("DNS forwarder timeout " + timeout + " and in-flight limit " + maxInFlight
                    + " must be positive");
        }
        this.group = group;
        this.upstreams = new Upstreams(List.copyOf(upstreams), timeout, Transport.of(group));
        this.maxInFlight = maxInFlight;
        startEventLoops(group);
    }

    /**
     * Binds UDP and TCP listeners at {@code address}; call it where the sockets must live (e.g. inside
     * NamespaceEntry / NetworkNamespaces.call for a run's netns). Blocks until both are bound, so never call
     * it on an event loop. Closing the result closes both. With port 0, TCP gets the port UDP got.
     *
     * @throws io.netty.channel.ChannelException or another unchecked exception when a listener cannot bind
     */
    public Listeners serve(InetSocketAddress address) {
        DnsListeners handlers = new DnsListeners(upstreams, new ListenerBudget(maxInFlight, Math.max(1, maxInFlight / 4)));
        Channel udp = new Bootstrap().group(group)
                .channelFactory(upstreams.transport().newDatagram()::get)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(DnsListeners.MAX_UDP_QUERY))
                .handler(handlers.udp())
                .bind(address).syncUninterruptibly().channel();
        Channel tcp;
        try {
            tcp = new ServerBootstrap().group(group)
                    .channelFactory(upstreams.transport().newServer()::get)
                    .childHandler(handlers.tcp())
                    .bind(udp.localAddress()).syncUninterruptibly().channel();
        } catch (RuntimeException e) {
            closeAndWait(udp);
            throw e;
        }
        Listeners served = new Listeners(udp, tcp);
        open.add(served);
        LOG.debug("dns listening address={}", served.address());
        return served;
    }

    /** The UDP and TCP listener of one {@link #serve}. */
    public final class Listeners implements Closeable {
        private final Channel udp;
        private final Channel tcp;

        private Listeners(Channel udp, Channel tcp) {
            this.udp = udp;
            this.tcp = tcp;
        }

        /** Where both listen (in their namespace). */
        public InetSocketAddress address() {
            return (InetSocketAddress) udp.localAddress();
        }

        /** Closes both listeners and waits, unless called on their event loop; queries in flight are not answered. */
        @Override
        public void close() {
            open.remove(this);
            closeAndWait(udp);
            closeAndWait(tcp);
        }

        /** Whether either socket is still open. */
        boolean isOpen() {
            return udp.isOpen() || tcp.isOpen();
        }
    }

    /**
     * The nameservers of a resolv.conf ({@code nameserver ADDRESS} lines; a scoped IPv6 address is skipped,
     * it names an interface of the host), on port 53; empty when the file does not exist.
     */
    public static List<InetSocketAddress> systemUpstreams(Path resolvConf) {
        List<String> lines;
        try {
            lines = Files.readAllLines(resolvConf);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("read " + resolvConf, e);
        }
        List<InetSocketAddress> result = new ArrayList<>();
        for (String line : lines) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver")) {
                continue;
            }
            try {
                Cidr literal = Cidr.parse(words[1]);
                result.add(new InetSocketAddress(literal.address(), PORT));
            } catch (IllegalArgumentException e) {
                LOG.warn("dns nameserver skipped file={} line=\"{}\": {}", resolvConf, line.strip(), e.getMessage());
            }
        }
        return List.copyOf(result);
    }

    /** Closes every listener still open; the group is the caller's. */
    @Override
    public void close() {
        List.copyOf(open).forEach(Listeners::close);
    }

    private static void closeAndWait(Channel ch) {
        ChannelFuture closed = ch.close();
        if (!ch.eventLoop().inEventLoop()) {
            closed.awaitUninterruptibly();
        }
    }

    /** Starts every loop's thread from this (host) thread; see the class comment. */
    private static void startEventLoops(EventLoopGroup group) {
        for (EventExecutor loop : group) {
            loop.submit(() -> { }).syncUninterruptibly();
        }
    }
}
