package io.actord.daemon.state;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * {@link StoreSignals} of {@link PostgresStateStore}: {@code NOTIFY} in the writing transaction ({@link PostgresBatch})
 * and one connection of its own per daemon that {@code LISTEN}s, outside the pools (a listening session must stay
 * open, and a pooled one is handed to others), read by a daemon thread with pgjdbc's
 * {@link PGConnection#getNotifications(int)}. When the connection is lost (the server closed it, or it was silent for
 * {@value #PROBE_AFTER_MS} ms and a {@code SELECT 1} then failed), the thread connects again after a pause that doubles from {@value #MIN_PAUSE_MS} ms up to {@value #MAX_PAUSE_MS} ms,
 * listens again, and tells each listener it {@link Listener#missed missed} signals: PostgreSQL keeps none for a
 * session that was not listening. The thread starts with the first {@link #listen}.
 */
final class PostgresSignals implements StoreSignals, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresSignals.class);
    /** How long one read waits for a notification; also how soon a new channel is listened to. */
    private static final int POLL_MS = 500;
    /**
     * How long the connection may stay silent before a query checks it: a server that is gone without closing the
     * connection (a partition, a host that died) sends nothing, and only a round trip (bounded by
     * {@link #SOCKET_TIMEOUT_SECS}) finds that out; TCP keepalive alone takes hours.
     */
    private static final long PROBE_AFTER_MS = 15_000;
    private static final int SOCKET_TIMEOUT_SECS = 10;
    static final long MIN_PAUSE_MS = 100;
    static final long MAX_PAUSE_MS = 5_000;

    private final PostgresLocation location;
    private final Properties properties;
    private final Map<String, List<Listener>> listeners = new ConcurrentHashMap<>();
    private Thread thread;
    private volatile Connection connection;
    private volatile boolean closed;

    PostgresSignals(PostgresLocation location, long connectTimeoutSecs) {
        this.location = location;
        this.properties = location.properties();
        properties.setProperty("connectTimeout", Long.toString(connectTimeoutSecs));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECS));
        properties.setProperty("ApplicationName", "actord-signals");
    }

    @Override
    public void listen(String channel, Listener listener) {
        StoreSignals.checkChannel(channel);
        listeners.computeIfAbsent(channel, c -> new CopyOnWriteArrayList<>()).add(listener);
        synchronized (this) {
            if (closed) {
                throw new StoreException("listen to " + channel + ": the state store is closed");
            }
            if (thread == null) {
                thread = new Thread(this::run, "actord-state-signals");
                thread.setDaemon(true);
                thread.start();
            }
        }
    }

    private void run() {
        long pause = MIN_PAUSE_MS;
        boolean lost = false;
        while (!closed) {
            try (Connection c = DriverManager.getConnection(location.jdbcUrl(), properties)) {
                connection = c;
                if (closed) {
                    return;
                }
                if (lost) {
                    LOG.info("state signals listening again postgres={}", location);
                }
                pause = MIN_PAUSE_MS;
                lost = false;
                listenUntilLost(c);
            } catch (SQLException e) {
                if (closed) {
                    return;
                }
                if (!lost) {
                    LOG.warn("state signals lost postgres={} error=\"{}\"; connecting again", location, e.getMessage());
                }
                lost = true;
                try {
                    TimeUnit.MILLISECONDS.sleep(pause);
                } catch (InterruptedException stop) {
                    return;
                }
                pause = Math.min(MAX_PAUSE_MS, pause * 2);
            } finally {
                connection = null;
            }
        }
    }

    /** Listens on {@code c} to every channel there are listeners for, and hands them what it hears, until it fails. */
    private void listenUntilLost(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        Set<String> listening = new HashSet<>();
        long aliveAt = System.nanoTime();
        while (!closed) {
            for (Map.Entry<String, List<Listener>> e : listeners.entrySet()) {
                if (listening.add(e.getKey())) {
                    try (Statement st = c.createStatement()) {
                        st.execute("LISTEN " + e.getKey());
                    }
                    // listening from now on: what was signalled before (while down, or before the first LISTEN) is lost
                    e.getValue().forEach(l -> call(e.getKey(), l::missed));
                }
            }
            PGNotification[] heard = pg.getNotifications(POLL_MS);
            if (heard == null || heard.length == 0) {
                if (System.nanoTime() - aliveAt > TimeUnit.MILLISECONDS.toNanos(PROBE_AFTER_MS)) {
                    try (Statement st = c.createStatement()) {
                        st.execute("SELECT 1");
                    }
                    aliveAt = System.nanoTime();
                }
                continue;
            }
            aliveAt = System.nanoTime();
            for (PGNotification n : heard) {
                listeners.getOrDefault(n.getName(), List.of()).forEach(l -> call(n.getName(), () ->
                        l.heard(n.getParameter())));
            }
        }
    }

    /** One listener's failure is logged and keeps the others hearing. */
    private static void call(String channel, Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.warn("state signal listener channel={} failed", channel, e);
        }
    }

    /** Stops listening: aborts the connection under the read (a plain close would wait for it) and the thread. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
        }
        if (t == null) {
            return;
        }
        Connection c = connection;
        if (c != null) {
            try {
                c.abort(Runnable::run);
            } catch (SQLException e) {
                LOG.debug("state signals abort postgres={} error=\"{}\"", location, e.getMessage());
            }
        }
        t.interrupt();
        try {
            t.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
