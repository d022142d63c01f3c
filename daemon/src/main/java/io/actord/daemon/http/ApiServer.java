package io.actord.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.unix.Socket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Serves the API on a Unix socket (mode 0660: the host's admins, no token) and a TCP listener (tokens),
 * both with the same pipeline and handler. One boss and one worker event-loop group serve both. Either
 * may be a socket passed in already listening (systemd socket activation); its file then belongs to
 * whoever made it.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ApiHandler handler;
    private final List<Channel> channels;
    private final Optional<Path> socket;
    private final Optional<InetSocketAddress> tcp;
    /** The socket file is ours to remove (we bound it), not the one of a passed-in socket. */
    private final boolean ownsSocketFile;

    private ApiServer(EventLoopGroup boss, EventLoopGroup workers, ApiHandler handler, List<Channel> channels,
                      Optional<Path> socket, Optional<InetSocketAddress> tcp, boolean ownsSocketFile) {
        this.boss = boss;
        this.workers = workers;
        this.handler = handler;
        this.channels = channels;
        this.socket = socket;
        this.tcp = tcp;
        this.ownsSocketFile = ownsSocketFile;
    }

    /**
     * What to bind and how much to accept.
     *
     * @param socket       the Unix socket path, if any
     * @param tcp          the TCP address, if any (port 0 picks a free one)
     * @param maxBodyBytes bodies larger than this get 413 request-too-large
     * @param idleSeconds  a connection with no request in progress is closed after this long without traffic
     * @param eventLoops   worker event-loop threads
     * @param limits       how many TCP connections to hold, and the request-head deadline on both listeners
     */
    public record Config(Optional<Path> socket, Optional<InetSocketAddress> tcp, int maxBodyBytes, long idleSeconds,
                         int eventLoops, ConnectionLimits limits) {
        /** With the default limits for this process's descriptor limit. */
        public Config(Optional<Path> socket, Optional<InetSocketAddress> tcp, int maxBodyBytes, long idleSeconds,
                      int eventLoops) {
            this(socket, tcp, maxBodyBytes, idleSeconds, eventLoops, ConnectionLimits.defaults());
        }
    }

    public static ApiServer start(Config config, Router router, Executor worker, Transports transports,
                                  Authenticator authenticator) {
        return start(config, router, worker, transports, authenticator, Optional.empty());
    }

    /** @param front makes each connection's handler that sees requests before the API (the container-URL proxy) */
    public static ApiServer start(Config config, Router router, Executor worker, Transports transports,
                                  Authenticator authenticator, Optional<Supplier<ChannelHandler>> front) {
        return start(config, router, worker, transports, authenticator, front, InheritedListeners.NONE);
    }

    /** As above, serving {@code inherited} sockets in place of binding the configured ones of their kind. */
    public static ApiServer start(Config config, Router router, Executor worker, Transports transports,
                                  Authenticator authenticator, Optional<Supplier<ChannelHandler>> front,
                                  InheritedListeners inherited) {
        EventLoopGroup boss = transports.newGroup(1, "api-accept");
        EventLoopGroup workers = transports.newGroup(config.eventLoops(), "api-io");
        ApiHandler handler = new ApiHandler(router, worker, config.maxBodyBytes(), authenticator);
        ApiChannelInitializer initializer = new ApiChannelInitializer(handler, config.maxBodyBytes(),
                config.idleSeconds(), config.limits().headTimeoutSeconds(), front);
        ChannelInitializer<Channel> tcpInitializer = gated(new ConnectionGate(config.limits()), initializer);
        List<Channel> channels = new ArrayList<>();
        ApiServer server = null;
        try {
            Optional<InetSocketAddress> boundTcp = Optional.empty();
            Optional<Path> socketPath = config.socket();
            if (inherited.tcp().isPresent()) {
                int fd = inherited.tcp().getAsInt();
                channels.add(adopt(transports.adopt(fd, false), boss, workers, tcpInitializer));
                boundTcp = Optional.of(new Socket(fd).localAddress());
            } else if (config.tcp().isPresent()) {
                Channel ch = new ServerBootstrap().group(boss, workers).channel(transports.tcpServerChannel())
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(tcpInitializer)
                        .bind(config.tcp().get()).syncUninterruptibly().channel();
                channels.add(ch);
                boundTcp = Optional.of((InetSocketAddress) ch.localAddress());
            }
            if (inherited.unix().isPresent()) {
                int fd = inherited.unix().getAsInt();
                channels.add(adopt(transports.adopt(fd, true), boss, workers, initializer));
                // An adopted channel knows no local address (Netty records it at bind): ask the socket.
                socketPath = Optional.of(Path.of(new Socket(fd).localDomainSocketAddress().path()));
            } else if (config.socket().isPresent()) {
                Path path = config.socket().get();
                prepareSocketPath(path);
                Channel ch = new ServerBootstrap().group(boss, workers).channel(transports.unixServerChannel())
                        .childHandler(initializer)
                        .bind(transports.unixAddress(path)).syncUninterruptibly().channel();
                channels.add(ch);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            }
            server = new ApiServer(boss, workers, handler, channels, socketPath, boundTcp, inherited.unix().isEmpty());
            LOG.info("api listening transport={} tcp={} socket={} passed-in={}", transports.name(),
                    boundTcp.map(a -> a.getHostString() + ":" + a.getPort()).orElse("-"),
                    socketPath.map(Path::toString).orElse("-"), inherited.kinds());
            return server;
        } catch (IOException | RuntimeException e) {
            channels.forEach(Channel::close);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("start API server: " + e.getMessage(), e);
        }
    }

    /**
     * Serves a channel that is listening already: registering it with the group starts accepting (no bind).
     */
    private static Channel adopt(ServerChannel channel, EventLoopGroup boss, EventLoopGroup workers,
                                 ChannelInitializer<Channel> initializer) {
        return new ServerBootstrap().group(boss, workers).channelFactory((ChannelFactory<ServerChannel>) () -> channel)
                .childHandler(initializer).register().syncUninterruptibly().channel();
    }

    /**
     * TCP connections pass the gate first; the admin socket has no gate, so it answers while TCP is full (its
     * clients are the host's admins, and the TCP total leaves descriptors for them).
     */
    private static ChannelInitializer<Channel> gated(ConnectionGate gate, ApiChannelInitializer api) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast("gate", gate).addLast(api);
            }
        };
    }

    /** The bound TCP address (with the real port when 0 was asked for). */
    public Optional<InetSocketAddress> tcpAddress() {
        return tcp;
    }

    public Optional<Path> socketPath() {
        return socket;
    }

    /**
     * Makes the socket's directory, and removes a socket file nobody listens on (a daemon that was killed
     * leaves it behind); refuses when another daemon answers there.
     */
    private static void prepareSocketPath(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (!Files.exists(path)) {
            return;
        }
        try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            probe.connect(UnixDomainSocketAddress.of(path));
            throw new IllegalStateException("another process is listening on " + path);
        } catch (IOException stale) {
            Files.deleteIfExists(path);
        }
    }

    /**
     * Answers every request from now on with 503 (the daemon is stopping), on connections already open too, while
     * the services behind the routes close; {@link #close} then closes the listeners and connections.
     */
    public void stopAccepting() {
        handler.stopAccepting();
    }

    /** Stops accepting and closes every connection; open streams end. Idempotent. */
    @Override
    public void close() {
        stopAccepting();
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        channels.clear();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        socket.filter(p -> ownsSocketFile).ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("remove socket path={} error=\"{}\"", p, e.getMessage());
            }
        });
    }
}
