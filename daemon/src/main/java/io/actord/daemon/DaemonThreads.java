package io.actord.daemon;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The daemon's own thread pools: how their threads are named, and how a pool is stopped at shutdown. */
final class DaemonThreads {
    /** It logs as the daemon that stops the pools. */
    private static final Logger LOG = LoggerFactory.getLogger(ActorDaemon.class);

    private DaemonThreads() {
    }

    /** Daemon threads named {@code name-1}, {@code name-2} … */
    static ThreadFactory named(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
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
