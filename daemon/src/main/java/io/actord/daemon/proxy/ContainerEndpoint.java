package io.actord.daemon.proxy;

import io.netty.channel.Channel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one container's web server is: the container's network namespace and the address inside it. It
 * also holds the proxy's open connections to it, which are closed when the container stops (an open socket
 * would keep the namespace alive). Thread-safe.
 */
public final class ContainerEndpoint {
    private final String runId;
    private final Path netns;
    private final InetSocketAddress address;
    private final long startedNanos;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    ContainerEndpoint(String runId, Path netns, InetSocketAddress address, long startedNanos) {
        this.runId = runId;
        this.netns = netns;
        this.address = address;
        this.startedNanos = startedNanos;
    }

    /**
     * The API listener of the host that runs {@code runId} ({@link RemoteRuns}), reached from the daemon's own
     * network namespace; that host waits for its run's server itself, so this one is never "starting".
     */
    static ContainerEndpoint remote(String runId, InetSocketAddress api) {
        return new ContainerEndpoint(runId, null, api, 0);
    }

    public String runId() {
        return runId;
    }

    /** The container's network namespace (/proc/PID/ns/net); empty for another host's API, reached from ours. */
    public Optional<Path> netns() {
        return Optional.ofNullable(netns);
    }

    /** 127.0.0.1 and the run's web-server port, inside {@link #netns()}. */
    public InetSocketAddress address() {
        return address;
    }

    /** Whether the container started less than {@code window} ago: its server may still be coming up. */
    boolean starting(Duration window) {
        return netns != null && System.nanoTime() - startedNanos < window.toNanos();
    }

    /** Keeps a connection to this endpoint, to close it with the container; one made too late is closed now. */
    void track(Channel channel) {
        connections.add(channel);
        channel.closeFuture().addListener(f -> connections.remove(channel));
        if (closed) {
            channel.close();
        }
    }

    boolean closed() {
        return closed;
    }

    /** The container stopped: closes every connection to it. */
    void close() {
        closed = true;
        connections.forEach(Channel::close);
    }
}
