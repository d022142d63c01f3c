package io.actord.daemon.proxy;

import io.actord.daemon.common.Futures;
import io.actord.daemon.http.Transports;
import io.actord.daemon.inrun.NamespaceEntry;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The container-URL proxy as the API listeners see it: {@link #newFrontend()} gives each connection its
 * {@link ProxyFrontendHandler}, which sits before the API's aggregator and takes the requests for container
 * URLs. What every frontend shares is here: the resolver, how sockets are made inside a run's network
 * namespace, and how long a request waits for a run that is still starting.
 */
public final class ContainerProxy {
    private static final int CONNECT_TIMEOUT_MILLIS = 5000;

    private final ContainerAddressResolver resolver;
    private final NamespaceEntry namespaces;
    private final Transports transports;
    private final Supplier<String> scheme;
    private final Duration startupWait;
    private final TrafficCounter counter = new TrafficCounter(this::traffic);
    private volatile ProxyTraffic traffic = ProxyTraffic.NONE;

    /**
     * @param namespaces  how sockets are made inside a container's network namespace
     * @param transports  the API listeners' transport: backend channels must fit their event loops
     * @param scheme      what X-Forwarded-Proto says (the scheme of the daemon's public URL)
     * @param startupWait how long a request waits for a starting run's server: a run that is READY, or whose
     *                    container is younger than this, may not listen yet
     */
    public ContainerProxy(ContainerAddressResolver resolver, NamespaceEntry namespaces, Transports transports,
                          Supplier<String> scheme, Duration startupWait) {
        this.resolver = resolver;
        this.namespaces = namespaces;
        this.transports = transports;
        this.scheme = scheme;
        this.startupWait = startupWait;
    }

    /** The handler for one new API connection (not shareable: it keeps the connection's exchange). */
    public ChannelHandler newFrontend() {
        return new ProxyFrontendHandler(this);
    }

    /** From now on {@code t} is told of the proxy's requests and bytes (one observer: the metrics). */
    public void observe(ProxyTraffic t) {
        traffic = t;
    }

    ProxyTraffic traffic() {
        return traffic;
    }

    /** The handler that counts a backend connection's bytes, first in its pipeline. */
    TrafficCounter counter() {
        return counter;
    }

    ContainerAddressResolver resolver() {
        return resolver;
    }

    String scheme() {
        return scheme.get();
    }

    Duration startupWait() {
        return startupWait;
    }

    /**
     * Connects to a container's server without blocking {@code loop}: a throw-away thread makes the socket
     * inside the container's network namespace (for another host's API the socket is made here, in ours), then
     * {@code loop} (the client connection's own event loop, so both ends of the relay share a thread) registers
     * and connects it with {@code handler}. {@code done} runs on {@code loop} with the connected channel or the
     * failure.
     */
    void connect(ContainerEndpoint endpoint, EventLoop loop, ChannelHandler handler,
                 BiConsumer<Channel, Throwable> done) {
        CompletableFuture<Channel> made = endpoint.netns()
                .map(netns -> namespaces.callAsync(netns, transports::newTcpChannel))
                .orElseGet(() -> CompletableFuture.completedFuture(transports.newTcpChannel()));
        made.whenComplete((channel, error) -> {
            try {
                loop.execute(() -> {
                    if (error != null) {
                        done.accept(null, Futures.cause(error));
                        return;
                    }
                    new Bootstrap().group(loop).channelFactory(() -> channel)
                            .option(ChannelOption.AUTO_READ, false)
                            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MILLIS)
                            .handler(handler)
                            .connect(endpoint.address())
                            .addListener((ChannelFuture f) -> {
                                if (f.isSuccess()) {
                                    endpoint.track(f.channel());
                                }
                                done.accept(f.isSuccess() ? f.channel() : null, f.cause());
                            });
                });
            } catch (RejectedExecutionException e) {
                if (channel != null) {
                    channel.unsafe().closeForcibly();
                }
            }
        });
    }
}
