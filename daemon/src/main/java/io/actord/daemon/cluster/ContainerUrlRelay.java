package io.actord.daemon.cluster;

import io.actord.daemon.proxy.ProxyRefusal;
import io.actord.daemon.proxy.RemoteRuns;
import io.actord.daemon.run.Run;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Container URLs across the cluster (#26 routing): a token no run of this host has is looked up in the shared
 * state's token index (one read, whatever the token: a guessed one costs no scan); if another live host runs it, the
 * proxy sends the request to that host's API listener, which serves the URL of its own run. A run whose host is not
 * a live member answers 503, as the API does ({@link RunRelay}), and so does an unplaced run (no host: it waits for
 * placement, as after its host left), whose URL answers again once the run runs elsewhere.
 */
public final class ContainerUrlRelay implements RemoteRuns {
    private final String hostId;
    private final ClusterMembership membership;
    private final Function<String, Optional<Run>> byToken;
    private final Executor worker;

    /**
     * @param byToken the stored active run with a container-URL token (it reads the state: called on {@code worker})
     */
    public ContainerUrlRelay(String hostId, ClusterMembership membership, Function<String, Optional<Run>> byToken,
                             Executor worker) {
        this.hostId = hostId;
        this.membership = membership;
        this.byToken = byToken;
        this.worker = worker;
    }

    @Override
    public String hostId() {
        return hostId;
    }

    @Override
    public CompletableFuture<Optional<RemoteRun>> find(String token) {
        return CompletableFuture.supplyAsync(() -> byToken.apply(token)
                .filter(run -> !hostId.equals(run.ownerHost()))
                .map(this::remote), worker);
    }

    private RemoteRun remote(Run run) {
        if (run.ownerHost() == null) {
            throw new ProxyRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE, "The actor run with this container URL"
                    + " has no host at the moment: it waits to be placed on one (as after its host left the"
                    + " cluster), and its URL answers again once it runs there. Try again in a few seconds.\n");
        }
        HostRecord host = HostRecord.find(membership.hosts(), run.ownerHost())
                .orElseThrow(() -> new ProxyRefusal(HttpResponseStatus.SERVICE_UNAVAILABLE, "The actor run with this"
                        + " container URL is on host " + run.ownerHost() + ", which is not a live member of the"
                        + " cluster (it left, or lost etcd). Try again once the host is back.\n"));
        URI api = URI.create(host.apiUrl());
        int port = api.getPort() > 0 ? api.getPort() : "https".equals(api.getScheme()) ? 443 : 80;
        return new RemoteRun(run.id(), host.hostId(), new InetSocketAddress(api.getHost(), port));
    }
}
