package io.actord.daemon.proxy;

import io.actord.daemon.proxy.ContainerAddressResolver.Route;

import java.util.Optional;

/**
 * Which requests go to a standby pool: asked by {@link ContainerAddressResolver} for a request that names
 * no run, so it must be cheap (no I/O). {@link #NONE} serves no standby URL.
 */
@FunctionalInterface
public interface StandbyRoutes {
    StandbyRoutes NONE = (host, uri) -> Optional.empty();

    /** The route of a request with this Host header and target when it is a standby URL (Standby, Redirect), else empty. */
    Optional<Route> route(String host, String uri);
}
