package io.actord.daemon.common;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The daemon's thread factories. Every thread the daemon makes is a daemon thread, so a pool left running never keeps
 * the JVM alive (shutdown stops the pools it owns).
 */
public final class Threads {
    private Threads() {
    }

    /** Daemon threads all named {@code name}: for an executor of one thread. */
    public static ThreadFactory named(String name) {
        return r -> start(r, name);
    }

    /** Daemon threads named {@code name-1}, {@code name-2} … */
    public static ThreadFactory numbered(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> start(r, name + "-" + n.incrementAndGet());
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
