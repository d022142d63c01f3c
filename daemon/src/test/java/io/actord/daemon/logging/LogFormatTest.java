package io.actord.daemon.logging;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogFormatTest {
    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000, ZoneOffset.UTC);

    @Test
    void shouldWritePlainLinesWithTimeAndLevel() {
        assertEquals("2026-01-02T03:04:05.678Z WARN RunService - run=a status=FAILED\n",
                LogFormat.PLAIN.render(TIME, Level.WARN, "RunService", "run=a status=FAILED", null));
    }

    @Test
    void shouldPrefixEveryJournalLineWithTheSyslogPriority() {
        String text = LogFormat.JOURNAL.render(TIME, Level.ERROR, "ApiHandler", "request=7 failed",
                new IllegalStateException("boom"));

        assertTrue(text.startsWith("<3>ApiHandler - request=7 failed\n<3>java.lang.IllegalStateException: boom\n"),
                text);
        text.lines().forEach(line -> assertTrue(line.startsWith("<3>"), line));
        assertTrue(text.endsWith("\n"));
    }

    @Test
    void shouldMapLevelsToSyslogPriorities() {
        assertEquals("<6>X - m\n", LogFormat.JOURNAL.render(TIME, Level.INFO, "X", "m", null));
        assertEquals("<4>X - m\n", LogFormat.JOURNAL.render(TIME, Level.WARN, "X", "m", null));
        assertEquals("<7>X - m\n", LogFormat.JOURNAL.render(TIME, Level.DEBUG, "X", "m", null));
        assertEquals("<7>X - m\n", LogFormat.JOURNAL.render(TIME, Level.TRACE, "X", "m", null));
    }

    @Test
    void shouldChooseTheJournalOnlyWhenJournalStreamNamesStderr(@TempDir Path dir) throws IOException {
        Path stderr = Files.createFile(dir.resolve("stderr"));
        Map<String, Object> stat = Files.readAttributes(stderr, "unix:dev,ino");
        String self = stat.get("dev") + ":" + stat.get("ino");

        assertEquals(LogFormat.JOURNAL, LogFormat.detect(Map.of("JOURNAL_STREAM", self), stderr));
        assertEquals(LogFormat.PLAIN, LogFormat.detect(Map.of("JOURNAL_STREAM", "1:2"), stderr));
        assertEquals(LogFormat.PLAIN, LogFormat.detect(Map.of(), stderr));
        assertEquals(LogFormat.PLAIN, LogFormat.detect(Map.of("JOURNAL_STREAM", self), dir.resolve("missing")));
    }
}
