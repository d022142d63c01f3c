package io.actord.daemon.inrun;

import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.RunChannelInitializer;
import io.actord.daemon.http.Transports;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The sockets of the in-run endpoints: one API listener per running container, bound to 127.0.0.1 inside
 * the container's network namespace. The server channel is created through {@link NamespaceEntry} (its
 * socket then belongs to that namespace, kernel-notes.md) and bound and served by ordinary event loops on
 * the host. No veth, no bridge, no address: an isolated run reaches the API with no network, and every
 * connection on the listener comes from that run. Where containers share the daemon's namespace
 * ({@link NamespaceEntry#SAME}) a listener takes a free loopback port instead of {@link #PORT}.
 * When listeners open and close is {@link RunEndpointListener}'s business.
 */
final class RunApiServer implements AutoCloseable {
    /** The in-run API port inside every run's own namespace. */
    static final int PORT = 7070;
    private static final Logger LOG = LoggerFactory.getLogger(RunApiServer.class);
    private static final long IDLE_SECONDS = 300;
    private static final Path OWN_NAMESPACE = Path.of("/proc/self/ns/net");

    private final NamespaceEntry entry;
    private final Transports transports;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ApiHandler handler;
    private final int maxBodyBytes;
    private final ChannelHandler gate;
    /** Run id → its listener; written on the runs' executors and read by API workers. */
    private final Map<String, Channel> listeners = new ConcurrentHashMap<>();

    /**
     * @param entry   how to create a socket in a container's network namespace
     * @param handler the API handler (the daemon's router); requests reach it as {@code Listener.RUN}
     * @param gate    the shared handler in front of it that takes the events WebSocket's upgrade
     */
    RunApiServer(NamespaceEntry entry, Transports transports, ApiHandler handler, int maxBodyBytes,
                 ChannelHandler gate) {
        this.entry = entry;
        this.transports = transports;
        this.boss = transports.newGroup(1, "run-api-accept");
        this.io = transports.newGroup(2, "run-api-io");
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.gate = gate;
    }

    /** Whether each container has a network namespace of its own (then every listener is on {@link #PORT}). */
    boolean separateNamespaces() {
        return entry.separate();
    }

    /**
     * The port the run's endpoint listens on inside its namespace: the fixed one in a namespace of the run's
     * own; in the shared namespace the listener opens now, to reserve its port.
     */
    int port(String runId) {
        if (entry.separate()) {
            return PORT;
        }
        if (!isOpen(runId)) {
            open(runId, OWN_NAMESPACE);
        }
        return address(runId).map(InetSocketAddress::getPort).orElse(PORT);
    }

    boolean isOpen(String runId) {
        Channel ch = listeners.get(runId);
        return ch != null && ch.isOpen();
    }

    /** Where the run's endpoint listens (in its namespace), while it does. */
    Optional<InetSocketAddress> address(String runId) {
        Channel ch = listeners.get(runId);
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    /** (Re)opens the run's listener in the namespace {@code netns}; a failure is logged, the run goes on without. */
    void open(String runId, Path netns) {
        close(runId);
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", entry.separate() ? PORT : 0);
        try {
            Channel ch = new ServerBootstrap().group(boss, io)
                    .channelFactory(() -> entry.call(netns, this::newServerChannel))
                    .childAttr(ApiHandler.RUN_ID, runId)
                    .childHandler(new RunChannelInitializer(handler, maxBodyBytes, IDLE_SECONDS, () -> gate))
                    .bind(address).syncUninterruptibly().channel();
            listeners.put(runId, ch);
            LOG.info("run={} in-run endpoint listening netns={} address={}", runId, netns, ch.localAddress());
        } catch (RuntimeException e) {
            if (!Files.exists(netns)) {
                // a container re-attached at start-up that ended since: nothing to serve, nothing wrong
                LOG.info("run={} no in-run endpoint: the container has ended (netns={} is gone)", runId, netns);
                return;
            }
            LOG.error("run={} in-run endpoint failed netns={} address={}: {}", runId, netns, address, e.getMessage(), e);
        }
    }

    /** Closes the run's listener, if it has one (an open socket would keep its namespace alive). */
    void close(String runId) {
        Channel ch = listeners.remove(runId);
        if (ch != null) {
            ch.close().syncUninterruptibly();
            LOG.debug("run={} in-run endpoint closed", runId);
        }
    }

    /** Closes every listener and stops the event loops; containers keep running (a new daemon reopens them). */
    @Override
    public void close() {
        listeners.keySet().forEach(this::close);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private ServerChannel newServerChannel() {
        try {
            return transports.tcpServerChannel().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("create " + transports.tcpServerChannel().getSimpleName(), e);
        }
    }
}
