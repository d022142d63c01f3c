package io.actord.daemon.cluster;

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
import java.util.Properties;

/**
 * One host id, one daemon, for daemons that share a PostgreSQL state without a cluster (in one, {@link HostIdClaim}
 * does this in etcd): two daemons with one host id (a copied state directory, {@code --host-id} given twice) would
 * each recover the other's runs. The daemon holds a session advisory lock on the id for its whole life, on a
 * connection of its own (the store's pools lend theirs to whichever thread asks, and a session lock belongs to the
 * connection); PostgreSQL frees it when that session ends, so a daemon that dies (kill -9, a lost host) lets the next
 * one start at once. The lock id is the first 8 bytes of SHA-256 of {@code actord-host-id/<id>}: the store's own
 * locks hash {@code actord/<key>}, so the two meet only by a 64-bit collision. The connection's application name says
 * whose it is, so that a refusal can name the holder's address.
 */
public final class HostIdLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostIdLock.class);

    private final Connection connection;
    private final String hostId;

    private HostIdLock(Connection connection, String hostId) {
        this.connection = connection;
        this.hostId = hostId;
    }

    /**
     * Takes host id {@code hostId}'s lock in the database {@code location} names.
     *
     * @throws IllegalStateException when another daemon holds it (naming its address and since when), or the
     *                               database cannot be reached
     */
    public static HostIdLock take(PostgresLocation location, String hostId) {
        Properties properties = location.properties();
        properties.setProperty("ApplicationName", "actord host " + hostId);
        long id = lockId(hostId);
        Connection connection = null;
        try {
            connection = DriverManager.getConnection(location.jdbcUrl(), properties);
            try (PreparedStatement st = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
                st.setLong(1, id);
                try (ResultSet rs = st.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        LOG.info("host id lock taken host={} database={}", hostId, location);
                        return new HostIdLock(connection, hostId);
                    }
                }
            }
            String holder = holder(connection, id);
            connection.close();
            throw new IllegalStateException("host id '" + hostId + "' is held by another actord daemon on the state"
                    + " database " + location + " (" + holder + "): two daemons with one host id would each take the"
                    + " other's runs; give this daemon its own --host-id, and its own state directory rather than a"
                    + " copy");
        } catch (SQLException e) {
            closeQuietly(connection, e);
            throw new IllegalStateException("take the lock of host id '" + hostId + "' in " + location + ": "
                    + e.getMessage(), e);
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

    private static void closeQuietly(Connection connection, Exception cause) {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                cause.addSuppressed(e);
            }
        }
    }

    /** Lets the id go (closing the session frees the lock). Idempotent. */
    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("host id lock host={} not closed cleanly: {}", hostId, e.getMessage());
        }
    }
}
