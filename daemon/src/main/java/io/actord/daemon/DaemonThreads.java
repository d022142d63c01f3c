package io.actord.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** How the daemon's own thread pools are stopped at shutdown. */
final class DaemonThreads {
    /** It logs as the daemon that stops the pools. */
    private static final Logger LOG = LoggerFactory.getLogger(ActorDaemon.class);

    private DaemonThreads() {
    }

    /** Lets the pool's queued tasks finish for up to 10 s, then interrupts what still runs. */
    static void shutdown(ExecutorService pool, String name) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("pool={} still busy after 10 s; stopping it", name);
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
