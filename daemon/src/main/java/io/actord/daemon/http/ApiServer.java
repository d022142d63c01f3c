package io.actord.daemon.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
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
 * both with the same pipeline and handler. One boss and one worker event-loop group serve both.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<Channel> channels;
    private final Optional<Path> socket;
    private final Optional<InetSocketAddress> tcp;

    private ApiServer(EventLoopGroup boss, EventLoopGroup workers, List<Channel> channels, Optional<Path> socket,
                      Optional<InetSocketAddress> tcp) {
        this.boss = boss;
        this.workers = workers;
        this.channels = channels;
        this.socket = socket;
        this.tcp = tcp;
    }

    /**
     * What to bind and how much to accept.
     *
     * @param socket       the Unix socket path, if any
     * @param tcp          the TCP address, if any (port 0 picks a free one)
     * @param maxBodyBytes bodies larger than this get 413 request-too-large
     * @param idleSeconds  a connection with no request in progress is closed after this long without traffic
     * @param eventLoops   worker event-loop threads
     */
    public record Config(Optional<Path> socket, Optional<InetSocketAddress> tcp, int maxBodyBytes, long idleSeconds,
                         int eventLoops) {
    }

    public static ApiServer start(Config config, Router router, Executor worker, Transports transports,
                                  Authenticator authenticator) {
        return start(config, router, worker, transports, authenticator, Optional.empty());
    }

    /** @param front makes each connection's handler that sees requests before the API (the container-URL proxy) */
    public static ApiServer start(Config config, Router router, Executor worker, Transports transports,
                                  Authenticator authenticator, Optional<Supplier<ChannelHandler>> front) {
        EventLoopGroup boss = transports.newGroup(1, "api-accept");
        EventLoopGroup workers = transports.newGroup(config.eventLoops(), "api-io");
        ApiChannelInitializer initializer = new ApiChannelInitializer(
                new ApiHandler(router, worker, config.maxBodyBytes(), authenticator), config.maxBodyBytes(),
                config.idleSeconds(), front);
        List<Channel> channels = new ArrayList<>();
        ApiServer server = null;
        try {
            Optional<InetSocketAddress> boundTcp = Optional.empty();
            if (config.tcp().isPresent()) {
                Channel ch = new ServerBootstrap().group(boss, workers).channel(transports.tcpServerChannel())
                        .option(ChannelOption.SO_REUSEADDR, true)
                        .childHandler(initializer)
                        .bind(config.tcp().get()).syncUninterruptibly().channel();
                channels.add(ch);
                boundTcp = Optional.of((InetSocketAddress) ch.localAddress());
            }
            if (config.socket().isPresent()) {
                Path path = config.socket().get();
                prepareSocketPath(path);
                Channel ch = new ServerBootstrap().group(boss, workers).channel(transports.unixServerChannel())
                        .childHandler(initializer)
                        .bind(transports.unixAddress(path)).syncUninterruptibly().channel();
                channels.add(ch);
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-rw----"));
            }
            server = new ApiServer(boss, workers, channels, config.socket(), boundTcp);
            LOG.info("api listening transport={} tcp={} socket={}", transports.name(),
                    boundTcp.map(a -> a.getHostString() + ":" + a.getPort()).orElse("-"),
                    config.socket().map(Path::toString).orElse("-"));
            return server;
        } catch (IOException | RuntimeException e) {
            channels.forEach(Channel::close);
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            throw new IllegalStateException("start API server: " + e.getMessage(), e);
        }
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

    /** Stops accepting and closes every connection; open streams end. Idempotent. */
    @Override
    public void close() {
        channels.forEach(ch -> ch.close().syncUninterruptibly());
        channels.clear();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        socket.ifPresent(p -> {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("remove socket path={} error=\"{}\"", p, e.getMessage());
            }
        });
    }
}
