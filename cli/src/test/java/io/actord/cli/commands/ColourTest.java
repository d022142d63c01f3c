package io.actord.cli.commands;

import io.actord.cli.testing.Cli;
import io.actord.cli.testing.DaemonFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When tables are coloured: on a terminal, unless NO_COLOR or TERM=dumb; --color overrides both ways. */
class ColourTest {
    @TempDir
    Path dir;

    private DaemonFixture daemon;

    @BeforeEach
    void start() throws Exception {
        daemon = DaemonFixture.start(dir);
        daemon.finishedRun(daemon.actor("hello", "echo", "hi"));
    }

    @AfterEach
    void stop() {
        daemon.close();
    }

    @Test
    void shouldColourStatusesAndHeadersOnATerminal() {
        String out = daemon.cli().terminal().run("runs", "list").out();
        assertTrue(out.startsWith("\u001B[1mID\u001B[0m"), out);
        assertTrue(out.contains("\u001B[32mSUCCEEDED\u001B[0m"), out);
    }

    @Test
    void shouldNotColourForNoColorDumbTerminalsOrNever() {
        assertFalse(daemon.cli().terminal().env("NO_COLOR", "1").run("runs", "list").out().contains("\u001B"));
        assertFalse(daemon.cli().terminal().env("TERM", "dumb").run("runs", "list").out().contains("\u001B"));
        assertFalse(daemon.cli().terminal().run("runs", "list", "--color", "never").out().contains("\u001B"));
    }

    @Test
    void shouldColourPipedOutputWhenAskedTo() {
        assertTrue(daemon.cli().escapesExpected().run("runs", "list", "--color=always").out()
                .contains("\u001B[32mSUCCEEDED"));
    }
}
