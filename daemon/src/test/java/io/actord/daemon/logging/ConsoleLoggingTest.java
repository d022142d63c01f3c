package io.actord.daemon.logging;

import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsoleLoggingTest {

    @Test
    void flywayAndHikariSayOnlyWarningsBelowDebug() {
        assertEquals(Level.WARN, ConsoleLogging.threshold("org.flywaydb.core.internal.command.DbMigrate", Level.INFO));
        assertEquals(Level.WARN, ConsoleLogging.threshold("com.zaxxer.hikari.HikariDataSource", Level.INFO));
        assertEquals(Level.ERROR, ConsoleLogging.threshold("com.zaxxer.hikari.HikariDataSource", Level.ERROR));
    }

    @Test
    void debuggingShowsThemAndOurOwnLinesKeepTheThreshold() {
        assertEquals(Level.DEBUG, ConsoleLogging.threshold("org.flywaydb.core.Flyway", Level.DEBUG));
        assertEquals(Level.TRACE, ConsoleLogging.threshold("com.zaxxer.hikari.pool.HikariPool", Level.TRACE));
        assertEquals(Level.INFO, ConsoleLogging.threshold("io.actord.daemon.state.PostgresStateStore", Level.INFO));
    }
}
