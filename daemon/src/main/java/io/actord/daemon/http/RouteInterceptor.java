package io.actord.daemon.http;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Answers a routed request in the place of its route's handler, when it decides to: the cluster's relay sends a
 * command for a run that another host supervises to that host. It sees the request authenticated, with its path
 * parameters and decoded body, on the worker.
 */
@FunctionalInterface
public interface RouteInterceptor {
    /** Lets every request through to its handler. */
    RouteInterceptor NONE = (route, request) -> Optional.empty();

    /** The answer in the handler's place, or empty to let {@code route}'s handler answer. */
    Optional<CompletableFuture<ApiResponse>> intercept(Route route, ApiRequest request);
}
