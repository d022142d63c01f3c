package io.actord.daemon.state;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;

/**
 * The state database cannot be reached now (stopped, restarting, unreachable, out of connections): nothing of the
 * operation was committed, and the same operation may pass once the database is back. The API answers it 503
 * {@code state-unavailable}; background work retries it.
 */
public final class StateUnavailableException extends StoreException {
    private static final long serialVersionUID = 1L;
    /** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down). */
    private static final Set<String> SERVER_GOING = Set.of("57P01", "57P02", "57P03");

    StateUnavailableException(Object database, String what, Throwable cause) {
        super("the state database " + database + " is unavailable (" + what + ")", cause);
    }

    /** {@code e} as the store's failure to {@code what}: this exception for a lost or refused connection. */
    static StoreException of(Object database, String what, SQLException e) {
        return isConnectionLoss(e) ? new StateUnavailableException(database, what, e) : new StoreException(what, e);
    }

    /**
     * Whether {@code e} (or a cause or next exception of it) says the connection to the server failed: SQLSTATE class
     * 08 (connection exception), the server shutting down or starting, or HikariCP finding no connection in time.
     */
    static boolean isConnectionLoss(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause() != null ? t.getCause()
                : t instanceof SQLException sql ? sql.getNextException() : null) {
            if (t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || SERVER_GOING.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }
}
