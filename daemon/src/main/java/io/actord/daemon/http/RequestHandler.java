package io.actord.daemon.http;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one route. Called on a worker thread, so it may block briefly (RocksDB, cgroupfs); to wait for
 * something long (a run to finish) it returns a future completed later instead of blocking the worker.
 * Throws {@link io.actord.daemon.api.ApiException} for client errors.
 */
@FunctionalInterface
public interface RequestHandler {
    CompletableFuture<ApiResponse> handle(ApiRequest request);

    /** A handler that answers right away. */
    static RequestHandler sync(Sync handler) {
        return request -> CompletableFuture.completedFuture(handler.handle(request));
    }

    @FunctionalInterface
    interface Sync {
        ApiResponse handle(ApiRequest request);
    }
}
