package io.actord.daemon.network;

import io.actord.daemon.inrun.NamespaceEntry;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunListener;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.runtime.Container;
import io.netty.channel.EventLoopGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Each egress run's own DNS server, Docker-style: UDP and TCP listeners at {@link RunNetworks#DNS} inside
 * the run's network namespace (made there through {@link NamespaceEntry}, as the in-run API's listener is),
 * forwarding to the upstreams from the host's namespace. Opened before the workload starts, re-opened for a
 * re-attached run, closed when the container stops (an open socket would keep its namespace). Isolated runs
 * get none: a resolver would be a way out of the run.
 */
public final class RunDns implements RunListener, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunDns.class);
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final NamespaceEntry entry;
    private final EventLoopGroup group;
    private final DnsForwarder forwarder;
    private final Map<String, DnsForwarder.Listeners> listeners = new ConcurrentHashMap<>();

    /** {@code group} becomes this object's: it is shut down by {@link #close()}. */
    public RunDns(NamespaceEntry entry, EventLoopGroup group, List<InetSocketAddress> upstreams) {
        this.entry = entry;
        this.group = group;
        this.forwarder = new DnsForwarder(group, upstreams, TIMEOUT);
        LOG.info("runs' DNS forwards to {}", upstreams);
    }

    @Override
    public void containerStarting(Run run, Container container) {
        open(run, container.networkNamespace());
    }

    @Override
    public void containerStarted(Run run, Container container) {
        if (!listeners.containsKey(run.id())) {
            open(run, container.networkNamespace());
        }
    }

    private void open(Run run, Path netns) {
        if (run.options().network() != RunNetwork.EGRESS || !entry.separate()) {
            return;
        }
        close(run.id());
        try {
            listeners.put(run.id(), entry.call(netns, () -> forwarder.serve(RunNetworks.DNS)));
            LOG.debug("run={} dns listening netns={}", run.id(), netns);
        } catch (RuntimeException e) {
            if (!Files.exists(netns)) {
                LOG.info("run={} no dns listener: the container has ended (netns={} is gone)", run.id(), netns);
                return;
            }
            LOG.error("run={} dns listener failed netns={}: {}", run.id(), netns, e.getMessage(), e);
        }
    }

    /**
     * The same resolver for a container that is no run (a build step, {@code id} its container id) in the egress
     * network namespace {@code netns}, until the returned handle is closed. Nothing is opened where containers
     * share the daemon's namespace.
     *
     * @throws RuntimeException when the listener cannot be opened: the step would have no DNS
     */
    public AutoCloseable serve(String id, Path netns) {
        if (!entry.separate()) {
            return () -> { };
        }
        DnsForwarder.Listeners l = entry.call(netns, () -> forwarder.serve(RunNetworks.DNS));
        LOG.debug("container={} dns listening netns={}", id, netns);
        return l::close;
    }

    @Override
    public void containerStopped(String runId) {
        close(runId);
    }

    /** A run that ended has no resolver, even if its container never started (status listener). */
    public void statusChanged(Run run) {
        if (run.status().isTerminal()) {
            close(run.id());
        }
    }

    private void close(String runId) {
        DnsForwarder.Listeners l = listeners.remove(runId);
        if (l != null) {
            l.close();
        }
    }

    /** Closes every listener; containers keep running (a new daemon re-opens them). */
    @Override
    public void close() {
        forwarder.close();
        listeners.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
