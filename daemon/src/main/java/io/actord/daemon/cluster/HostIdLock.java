package io.actord.daemon.cluster;

import io.actord.daemon.common.Threads;
import io.actord.daemon.state.PostgresLocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One host id, one daemon, for daemons that share a PostgreSQL state without a cluster (in one, {@link HostIdClaim}
 * does this in etcd): two daemons with one host id (a copied state directory, {@code --host-id} given twice) would
 * each recover the other's runs. The daemon holds a session advisory lock on the id for its whole life, on a
 * connection of its own (the store's pools lend theirs to whichever thread asks, and a session lock belongs to the
 * connection); PostgreSQL frees it when that session ends, so a daemon that dies (kill -9, a lost host) lets the next
 * one start at once. The lock id is the first 8 bytes of SHA-256 of {@code actord-host-id/<id>}: the store's own
 * locks hash {@code actord/<key>}, so the two meet only by a 64-bit collision. The connection's application name says
 * whose it is, so that a refusal can name the holder's address. The session is checked every {@link #CHECK}: one
 * that ended under the daemon (the database restarted, the connection broke) freed the lock, which is taken again on
 * a new session as soon as the database answers (and, should another daemon with the id have taken it meanwhile,
 * that is logged as the error it is).
 */
public final class HostIdLock implements AutoCloseable {
    /** How often the lock's session is checked. */
    static final Duration CHECK = Duration.ofSeconds(5);
    private static final Logger LOG = LoggerFactory.getLogger(HostIdLock.class);

    private final PostgresLocation location;
    private final String hostId;
    private final ScheduledExecutorService checker;
    /** The session that holds the lock; written by the checker's thread only (and read by close). */
    private volatile Optional<Connection> session;

    private HostIdLock(PostgresLocation location, String hostId, Connection session, Duration check) {
        this.location = location;
        this.hostId = hostId;
        this.session = Optional.of(session);
        this.checker = Executors.newSingleThreadScheduledExecutor(Threads.named("host-id-lock"));
        checker.scheduleWithFixedDelay(this::check, check.toMillis(), check.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What an attempt at the lock found: the session that holds it now, else who holds it. */
    private record Attempt(Optional<Connection> session, String holder) {
    }

    /**
     * Takes host id {@code hostId}'s lock in the database {@code location} names.
     *
     * @throws IllegalStateException when another daemon holds it (naming its address and since when), or the
     *                               database cannot be reached
     */
    public static HostIdLock take(PostgresLocation location, String hostId) {
        return take(location, hostId, CHECK);
    }

    /** As above, checking the session every {@code check}. */
    static HostIdLock take(PostgresLocation location, String hostId, Duration check) {
        Attempt attempt;
        try {
            attempt = attempt(location, hostId);
        } catch (SQLException e) {
            throw new IllegalStateException("take the lock of host id '" + hostId + "' in " + location + ": "
                    + e.getMessage(), e);
        }
        if (attempt.session().isEmpty()) {
            throw new IllegalStateException("host id '" + hostId + "' is held by another actord daemon on the state"
                    + " database " + location + " (" + attempt.holder() + "): two daemons with one host id would"
                    + " each take the other's runs; give this daemon its own --host-id, and its own state directory"
                    + " rather than a copy");
        }
        LOG.info("host id lock taken host={} database={}", hostId, location);
        return new HostIdLock(location, hostId, attempt.session().get(), check);
    }

    private static Attempt attempt(PostgresLocation location, String hostId) throws SQLException {
        Properties properties = location.properties();
        properties.setProperty("ApplicationName", "actord host " + hostId);
        long id = lockId(hostId);
        Connection connection = DriverManager.getConnection(location.jdbcUrl(), properties);
        try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            st.setLong(1, id);
            try (ResultSet rs = st.executeQuery()) {
                if (rs.next() && rs.getBoolean(1)) {
                    return new Attempt(Optional.of(connection), null);
                }
            }
            String holder = holder(connection, id);
            connection.close();
            return new Attempt(Optional.empty(), holder);
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw e;
        }
    }

    /** Takes the lock again on a new session if the one that held it ended. */
    private void check() {
        try {
            if (session.isPresent() && session.get().isValid((int) CHECK.toSeconds())) {
                return;
            }
            session.ifPresent(HostIdLock::closeEnded);
            session = Optional.empty();
            Attempt again = attempt(location, hostId);
            session = again.session();
            if (again.session().isPresent()) {
                LOG.warn("host id lock host={} taken again: its session had ended (the database restarted or the"
                        + " connection broke)", hostId);
            } else {
                LOG.error("host id lock host={} is held by another daemon ({}) since this one's session ended: two"
                        + " daemons run with one host id; stop the other", hostId, again.holder());
            }
        } catch (SQLException e) {
            LOG.warn("host id lock host={} not held (its session ended) and not taken again yet: {}", hostId,
                    e.getMessage());
        }
    }

    /** Who holds lock {@code id}, from pg_locks (a bigint key is its classid, high half, and objid, low half). */
    private static String holder(Connection connection, long id) throws SQLException {
        try (PreparedStatement st = connection.prepareStatement("SELECT a.client_addr, a.client_port,"
                + " a.application_name, a.backend_start FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                + " WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 AND l.classid::bigint = ?"
                + " AND l.objid::bigint = ?")) {
            st.setLong(1, id >>> 32);
            st.setLong(2, id & 0xffffffffL);
            try (ResultSet rs = st.executeQuery()) {
                if (!rs.next()) {
                    return "it let go a moment ago: try again";
                }
                String addr = rs.getString(1) == null ? "a local socket" : rs.getString(1) + ":" + rs.getInt(2);
                return "'" + rs.getString(3) + "' connected from " + addr + " since " + rs.getTimestamp(4)
                        .toInstant();
            }
        }
    }

    static long lockId(String hostId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("actord-host-id/" + hostId)
                    .getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** Closes a session that already ended, whose close can only fail as it did. */
    private static void closeEnded(Connection connection) {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("ended host id lock session not closed: {}", e.getMessage());
        }
    }

    private static void closeQuietly(Connection connection, Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Lets the id go, and closes the session. Idempotent. */
    @Override
    public void close() {
        checker.shutdownNow();
        try {
            if (!checker.awaitTermination(CHECK.toSeconds() + 5, TimeUnit.SECONDS)) {
                LOG.warn("host id lock host={} check did not stop", hostId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        session.ifPresent(c -> {
            // Unlocked first: a closed connection's backend lets its locks go only once it has exited, after close
            // returned, so a daemon started again at once (or a test) would find its own id still held.
            try (Connection held = c; PreparedStatement st = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
                st.setLong(1, lockId(hostId));
                st.execute();
            } catch (SQLException e) {
                LOG.warn("host id lock host={} not closed cleanly: {}", hostId, e.getMessage());
            }
        });
        session = Optional.empty();
    }
}
