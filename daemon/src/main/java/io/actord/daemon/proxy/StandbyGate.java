package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;
import io.netty.handler.codec.http.HttpRequest;

import java.util.concurrent.CompletableFuture;

/**
 * A URL that names a pool of runs rather than one run (an actor's standby URL): what serves it, request by
 * request. Implemented by {@code io.actord.daemon.standby}; the proxy only waits for the route it gives.
 */
public interface StandbyGate {
    /**
     * Takes one request, on its connection's event loop (so without blocking). It may take credentials out
     * of the request's headers; the target the run's server gets is the route's.
     */
    Admission admit(HttpRequest request);

    /** One admitted request. */
    interface Admission {
        /**
         * Completes with the route to the run that serves the request (its endpoint known), or fails with a
         * {@link ProxyRefusal} whose page the client gets.
         */
        CompletableFuture<Route.Found> route();

        /**
         * The request ended, however it did: answered, refused, its client gone, the relay failed, or the
         * tunnel it became closed. Called at least once; the second and later calls do nothing.
         */
        void ended();
    }
}
