package io.actord.daemon.http;

import io.netty.handler.codec.http.HttpMethod;

/**
 * Told of each request the API answered (the daemon's metrics). Called on whichever thread completed the answer:
 * implementations return quickly and do not throw.
 */
@FunctionalInterface
public interface RequestObserver {
    RequestObserver NONE = (method, route, status, nanos) -> {
    };

    /**
     * @param route  the template of the route that answered ({@code /v2/actor-runs/{runId}}), or of the route the
     *               path would have matched when the request failed before routing (a refused token), or
     *               {@link Router#UNMATCHED} when no route has the path
     * @param status the HTTP status answered (of the head, for a streamed body)
     * @param nanos  from the request's arrival to its answer (its head, for a streamed body)
     */
    void answered(HttpMethod method, String route, int status, long nanos);
}
