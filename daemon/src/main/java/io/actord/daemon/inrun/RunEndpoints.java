package io.actord.daemon.inrun;

import io.actord.daemon.http.ApiHandler;
import io.actord.daemon.http.Authenticator;
import io.actord.daemon.http.RunChannelInitializer;
import io.actord.daemon.http.Transports;
import io.actord.daemon.run.InRunApi;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.user.Tokens;
import io.actord.runtime.Container;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One API listener per running container, bound to 127.0.0.1 inside the container's network namespace:
 * the server channel is created through {@link NamespaceEntry} (its socket then belongs to that namespace,
 * kernel-notes.md) and bound and served by ordinary event loops on the host. No veth, no bridge, no
 * address: an isolated run reaches the API with no network, and every connection on the listener comes
 * from that run. The listener closes when the container stops (an open socket would keep the namespace).
 *
 * <p>It is also the {@link InRunApi} the container's environment points at: {@code http://127.0.0.1:7070}
 * in a namespace of the container's own; where containers share the daemon's namespace
 * ({@link NamespaceEntry#SAME}), a free loopback port reserved when the environment is made.
 */
public final class RunEndpoints implements RunListener, InRunApi, AutoCloseable {
    /** The in-run API port inside every run's own namespace. */
    public static final int PORT = 7070;
    private static final Logger LOG = LoggerFactory.getLogger(RunEndpoints.class);
    private static final long IDLE_SECONDS = 300;

    private final NamespaceEntry entry;
    private final Transports transports;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ApiHandler handler;
    private final int maxBodyBytes;
    private final RunGate gate;
    private final RunEvents events;
    private final Tokens tokens;
    private final Supplier<String> publicBaseUrl;
    private final Map<String, Channel> listeners = new ConcurrentHashMap<>();

    /**
     * @param entry   how to create a socket in a container's network namespace
     * @param handler       the API handler (the daemon's router); requests reach it as {@code Listener.RUN}
     * @param authenticator what the events WebSocket's upgrade is checked with (the handler checks the rest)
     * @param tokens        where each container's run token is made
     */
    public RunEndpoints(NamespaceEntry entry, Transports transports, ApiHandler handler, int maxBodyBytes,
                        Authenticator authenticator, Tokens tokens, RunEvents events, Supplier<String> publicBaseUrl) {
        this.entry = entry;
        this.transports = transports;
        this.boss = transports.newGroup(1, "run-api-accept");
        this.io = transports.newGroup(2, "run-api-io");
        this.handler = handler;
        this.maxBodyBytes = maxBodyBytes;
        this.gate = new RunGate(authenticator, events);
        this.events = events;
        this.tokens = tokens;
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public String baseUrl(Run run) {
        return "http://127.0.0.1:" + port(run.id());
    }

    @Override
    public String publicBaseUrl() {
        return publicBaseUrl.get();
    }

    @Override
    public String newToken(Run run) {
        return tokens.issueForRun(run.id(), run.userId());
    }

    @Override
    public String eventsUrl(Run run, String token) {
        return "ws://127.0.0.1:" + port(run.id()) + RunGate.EVENTS_PATH + "?token=" + token;
    }

    /** The fixed port in a namespace of the run's own; in the shared namespace, the listener opens now. */
    private int port(String runId) {
        if (entry.separate()) {
            return PORT;
        }
        Channel ch = listeners.get(runId);
        if (ch == null || !ch.isOpen()) {
            open(runId, Path.of("/proc/self/ns/net"));
            ch = listeners.get(runId);
        }
        return ch == null ? PORT : ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /**
     * Before the workload runs, so its first API call finds the listener. In the shared namespace it opened
     * already, when the environment reserved its port.
     */
    @Override
    public void containerStarting(Run run, Container container) {
        if (entry.separate() || !isOpen(run.id())) {
            open(run.id(), container.networkNamespace());
        }
    }

    /** A re-attached container (a daemon restart) gets its listener here; a new one has it already. */
    @Override
    public void containerStarted(Run run, Container container) {
        if (!isOpen(run.id())) {
            open(run.id(), container.networkNamespace());
        }
    }

    private boolean isOpen(String runId) {
        Channel ch = listeners.get(runId);
        return ch != null && ch.isOpen();
    }

    private void open(String runId, Path netns) {
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
            LOG.error("run={} in-run endpoint failed netns={} address={}: {}", runId, netns, address, e.getMessage(), e);
        }
    }

    @Override
    public void containerStopped(String runId) {
        close(runId);
        events.drop(runId);
    }

    /** A run that ended no longer has an endpoint, even if its container never started (status listener). */
    public void statusChanged(Run run) {
        if (run.status().isTerminal()) {
            containerStopped(run.id());
        }
    }

    @Override
    public boolean abortRequested(Run run) {
        return events.aborting(run.id());
    }

    /** Where the run's endpoint listens (in its namespace), while it does. */
    public Optional<InetSocketAddress> address(String runId) {
        Channel ch = listeners.get(runId);
        return ch == null ? Optional.empty() : Optional.of((InetSocketAddress) ch.localAddress());
    }

    public RunEvents events() {
        return events;
    }

    private ServerChannel newServerChannel() {
        try {
            return transports.tcpServerChannel().getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("create " + transports.tcpServerChannel().getSimpleName(), e);
        }
    }

    private void close(String runId) {
        Channel ch = listeners.remove(runId);
        if (ch != null) {
            ch.close().syncUninterruptibly();
            LOG.debug("run={} in-run endpoint closed", runId);
        }
    }

    /** Closes every listener and event socket; containers keep running (a new daemon reopens them). */
    @Override
    public void close() {
        listeners.keySet().forEach(this::close);
        events.close();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
