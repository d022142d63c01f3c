package io.actord.daemon.http;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.util.concurrent.DefaultThreadFactory;

import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;

/**
 * The one place that chooses between epoll and NIO: epoll when Netty's native library loads (Linux x86_64
 * here), else NIO, which serves Unix sockets too on JDK 16+. A group and its channels must come from the
 * same choice.
 */
public final class Transports {
    private final boolean epoll;

    private Transports(boolean epoll) {
        this.epoll = epoll;
    }

    /** Epoll when available. */
    public static Transports detect() {
        return new Transports(Epoll.isAvailable());
    }

    public static Transports nio() {
        return new Transports(false);
    }

    public String name() {
        return epoll ? "epoll" : "nio";
    }

    public EventLoopGroup newGroup(int threads, String name) {
        DefaultThreadFactory factory = new DefaultThreadFactory(name, true);
        return epoll ? new EpollEventLoopGroup(threads, factory) : new NioEventLoopGroup(threads, factory);
    }

    public Class<? extends ServerChannel> tcpServerChannel() {
        return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends ServerChannel> unixServerChannel() {
        return epoll ? EpollServerDomainSocketChannel.class : NioServerDomainSocketChannel.class;
    }

    /**
     * A server channel over an already listening descriptor ({@code unix}: AF_UNIX, else TCP). Only epoll
     * can adopt a descriptor; NIO channels open their own.
     */
    public ServerChannel adopt(int fd, boolean unix) {
        if (!epoll) {
            throw new IllegalStateException("serve the listening socket fd " + fd + " that was passed in: that needs"
                    + " Netty's native epoll transport, which is unavailable here (" + Epoll.unavailabilityCause() + ")");
        }
        // "true": the descriptor is listening already (the one-argument domain constructor assumes not, and
        // would never accept).
        return unix ? new EpollServerDomainSocketChannel(fd, true) : new EpollServerSocketChannel(fd);
    }

    /** A new, unregistered TCP client channel; its constructor opens the socket (in the calling thread's network namespace). */
    public Channel newTcpChannel() {
        return epoll ? new EpollSocketChannel() : new NioSocketChannel();
    }

    public SocketAddress unixAddress(Path socket) {
        return epoll ? new DomainSocketAddress(socket.toString()) : UnixDomainSocketAddress.of(socket);
    }
}
