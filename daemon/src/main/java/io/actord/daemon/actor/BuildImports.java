package io.actord.daemon.actor;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.common.Threads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where image imports run: off the API's request threads (an import reads gigabytes, and a hostile one
 * may take long), at most {@code concurrent} at once with at most {@code waiting} more queued. A build
 * request beyond that is 503 service-unavailable at once, so imports can never take every API worker.
 */
public final class BuildImports implements AutoCloseable {
    /** Imports at once: each is mostly disk and decompression work, and the host's cores are shared with runs. */
    public static final int CONCURRENT = 2;
    /** Imports that may wait for a turn before a build request is refused. */
    public static final int WAITING = 8;
    private static final Logger LOG = LoggerFactory.getLogger(BuildImports.class);

    private final ThreadPoolExecutor pool;
    private final int concurrent;
    private final int waiting;

    public BuildImports(int concurrent, int waiting) {
        this.concurrent = concurrent;
        this.waiting = waiting;
        this.pool = new ThreadPoolExecutor(concurrent, concurrent, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(waiting), Threads.numbered("image-import"));
        this.pool.allowCoreThreadTimeOut(true);
    }

    /** Runs {@code work} on an import thread; 503 service-unavailable when as many imports as allowed wait. */
    public <T> CompletableFuture<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            throw new ApiException(ErrorType.SERVICE_UNAVAILABLE, pool.isShutdown() ? "the daemon is stopping"
                    : "the daemon is importing " + concurrent + " images with " + waiting + " more waiting; try"
                    + " again when one has finished");
        }
    }

    /** Stops taking imports and waits a little for those under way. */
    @Override
    public void close() {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("image imports still running after 10 s; interrupting them");
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
