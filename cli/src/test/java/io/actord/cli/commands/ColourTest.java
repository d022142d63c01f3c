package io.actord.cli.commands;

import io.actord.cli.testing.AgainstDaemon;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When tables are coloured: on a terminal, unless NO_COLOR or TERM=dumb; --color overrides both ways. */
class ColourTest extends AgainstDaemon {
    @BeforeEach
    void start() throws Exception {
        daemon.finishedRun(daemon.actor("hello", "echo", "hi"));
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
