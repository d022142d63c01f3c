package io.actord.daemon.network;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * What one run's listeners may hold at once: queries waiting for an upstream and TCP connections. Shared by
 * the UDP listener and the TCP connections of one {@link DnsForwarder#serve}, which may sit on different
 * event loops.
 */
final class ListenerBudget {
    private final int maxQueries;
    private final int maxConnections;
    private final AtomicInteger queries = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();

    ListenerBudget(int maxQueries, int maxConnections) {
        this.maxQueries = maxQueries;
        this.maxConnections = maxConnections;
    }

    boolean tryQuery() {
        return tryTake(queries, maxQueries);
    }

    void queryDone() {
        queries.decrementAndGet();
    }

    boolean tryConnection() {
        return tryTake(connections, maxConnections);
    }

    void connectionClosed() {
        connections.decrementAndGet();
    }

    private static boolean tryTake(AtomicInteger counter, int max) {
        if (counter.incrementAndGet() > max) {
            counter.decrementAndGet();
            return false;
        }
        return true;
    }
}
