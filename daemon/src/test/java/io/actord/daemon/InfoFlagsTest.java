package io.actord.daemon;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InfoFlagsTest {
    @Test
    void shouldAnswerHelpWithTheUsage() {
        for (String help : new String[]{"--help", "-h"}) {
            String usage = InfoFlags.answer(help).orElseThrow();
            assertTrue(usage.startsWith("usage: actord [--config FILE]"), usage);
            assertTrue(usage.contains("--version, -V"), usage);
        }
        assertTrue(InfoFlags.answer("--state-dir", "/tmp/x", "--help").isPresent(), "help after other flags");
        assertTrue(InfoFlags.answer("--version", "--help").orElseThrow().startsWith("usage:"), "help wins");
    }

    @Test
    void shouldAnswerVersionWithTheBuildsVersion() {
        assertEquals(Optional.of("actord " + BuildInfo.version() + "\n"), InfoFlags.answer("--version"));
        assertEquals(Optional.of("actord " + BuildInfo.version() + "\n"), InfoFlags.answer("-V"));
    }

    @Test
    void shouldLeaveEverythingElseToTheConfig() {
        assertEquals(Optional.empty(), InfoFlags.answer());
        assertEquals(Optional.empty(), InfoFlags.answer("--config", "/etc/actord/actord.conf", "--listen", "none"));
    }
}
