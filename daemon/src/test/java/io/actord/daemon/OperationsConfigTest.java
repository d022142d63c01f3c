package io.actord.daemon;

import io.actord.daemon.common.UsageException;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperationsConfigTest {
    @Test
    void shouldDefaultToTextLogsNoScraperTokenAndExecOnTheSocketOnly() {
        OperationsConfig ops = DaemonConfig.parse().operations();
        assertEquals(Optional.empty(), ops.metricsToken());
        assertEquals(OperationsConfig.LogFormat.TEXT, ops.logFormat());
        assertFalse(ops.execOverTcp());
    }

    @Test
    void shouldReadTheFlagsAndRefuseBadValues() {
        OperationsConfig ops = DaemonConfig.parse("--metrics-token", "scrape-0123456789abcdef", "--log-format=json",
                "--exec-over-tcp", "true").operations();
        assertEquals(Optional.of("scrape-0123456789abcdef"), ops.metricsToken());
        assertEquals(OperationsConfig.LogFormat.JSON, ops.logFormat());
        assertTrue(ops.execOverTcp());
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--metrics-token", "short"))
                .getMessage().contains("at least 16"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--log-format", "xml"))
                .getMessage().contains("text or json"));
        assertTrue(assertThrows(UsageException.class, () -> DaemonConfig.parse("--exec-over-tcp", "yes"))
                .getMessage().contains("true or false"));
        assertTrue(DaemonConfig.USAGE.contains("--metrics-token TOKEN"));
    }
}
