package io.actord.daemon.state;

import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which failures of the database are a lost connection (503, retried in the background) and which are not. */
class StateUnavailableExceptionTest {
    @Test
    void shouldTakeConnectionExceptionsAndShutdownsAsUnavailable() {
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("I/O error", "08006")));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("refused", "08001")));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("admin shutdown", "57P01")));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("crash shutdown", "57P02")));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("starting up", "57P03")));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLTransientConnectionException(
                "actord-state - Connection is not available, request timed out after 2000ms.")));
    }

    @Test
    void shouldLookThroughCausesAndNextExceptions() {
        SQLException batch = new SQLException("batch entry 0 was aborted", "22000");
        batch.setNextException(new SQLException("I/O error", "08006"));
        assertTrue(StateUnavailableException.isConnectionLoss(batch));
        assertTrue(StateUnavailableException.isConnectionLoss(new SQLException("pool",
                new SQLException("refused", "08001"))));
    }

    @Test
    void shouldNotTakeOtherFailuresAsUnavailable() {
        assertFalse(StateUnavailableException.isConnectionLoss(new SQLException("duplicate key", "23505")));
        assertFalse(StateUnavailableException.isConnectionLoss(new SQLException("deadlock", "40P01")));
        assertFalse(StateUnavailableException.isConnectionLoss(new SQLException("no state")));
    }
}
