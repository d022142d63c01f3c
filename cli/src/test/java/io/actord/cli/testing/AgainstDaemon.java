package io.actord.cli.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/** Base of command tests: a fresh {@link DaemonFixture} per test, and the CLI pointed at its socket. */
public abstract class AgainstDaemon {
    @TempDir
    protected Path dir;
    protected DaemonFixture daemon;
    protected Cli cli;

    @BeforeEach
    void startDaemon() {
        daemon = DaemonFixture.start(dir);
        cli = daemon.cli();
    }

    @AfterEach
    void stopDaemon() {
        daemon.close();
    }
}
