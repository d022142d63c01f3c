package io.actord.daemon.common;

import java.util.concurrent.CompletionException;

/** What the daemon's CompletableFuture stages share. */
public final class Futures {
    private Futures() {
    }

    /**
     * The failure a stage saw: a dependent stage gets its upstream's exception wrapped in a CompletionException, which
     * says nothing by itself.
     */
    public static Throwable cause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
