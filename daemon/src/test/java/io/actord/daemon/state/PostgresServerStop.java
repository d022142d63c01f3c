package io.actord.daemon.state;

import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestPlan;

/**
 * Stops the test JVM's PostgreSQL server ({@link PostgresServer#jvm}) when the test plan is done, inside the run
 * rather than in a shutdown hook: a test fork that ends is halted after a timeout, which a server with many
 * databases to remove can outlast. Registered through {@code META-INF/services}.
 */
public final class PostgresServerStop implements TestExecutionListener {
    @Override
    public void testPlanExecutionFinished(TestPlan testPlan) {
        PostgresServer.stopJvmServer();
    }
}
