package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A container URL whose token no run here has: it may be a run of another host ({@link RemoteRuns}), to whose API
 * listener the request then goes unchanged (same target and Host, so that host resolves it as its own run's URL),
 * else it is a 404 as before. A request another host relayed here is not relayed again (a hop limit of one): the run
 * moved or ended meanwhile, and the client gets the 404.
 */
final class RemoteRunGate implements StandbyGate {
    private final RemoteRuns remote;
    private final String token;
    private final String uri;

    RemoteRunGate(RemoteRuns remote, String token, String uri) {
        this.remote = remote;
        this.token = token;
        this.uri = uri;
    }

    @Override
    public Admission admit(HttpRequest request) {
        CompletableFuture<Route.Found> route;
        if (request.headers().contains(RemoteRuns.RELAYED_BY)) {
            route = CompletableFuture.failedFuture(notFound());
        } else {
            request.headers().set(RemoteRuns.RELAYED_BY, remote.hostId());
            route = remote.find(token).thenApply(found -> found.map(run -> new Route.Found(run.runId(),
                    CompletableFuture.completedFuture(ContainerEndpoint.remote(run.runId(), run.api())), uri,
                    Optional.<String>empty())).orElseThrow(RemoteRunGate::notFound));
        }
        return new Admission() {
            @Override
            public CompletableFuture<Route.Found> route() {
                return route;
            }

            @Override
            public void ended() {
                // nothing is held for a relayed request
            }
        };
    }

    private static ProxyRefusal notFound() {
        return new ProxyRefusal(HttpResponseStatus.NOT_FOUND, ProxyPages.NOT_FOUND);
    }
}
