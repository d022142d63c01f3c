package io.actord.daemon.logging;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.common.Json;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --log-format json}: every event is one line that parses as one JSON object with its fields. */
class JsonLogLinesTest {
    private static final ZonedDateTime TIME = ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 678_000_000, ZoneOffset.UTC);

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LogOutput plain = new LogOutput(LogFormat.PLAIN, new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new JournalSocket("/nonexistent/journal.socket"));

    private List<JsonNode> lines() throws IOException {
        List<String> text = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<JsonNode> parsed = new java.util.ArrayList<>();
        for (String line : text) {
            parsed.add(Json.MAPPER.readTree(line));
        }
        return parsed;
    }

    @Test
    void shouldWriteARunLineAsOneObjectWithTheRunIdAsItsOwnField() throws IOException {
        plain.write(new LogEvent(TIME, Level.INFO, "RunSupervisor", "run=s7cPu4KCYiNYcj0n7 status=RUNNING"
                + " event=STARTED message=\"\"", null), true);

        List<JsonNode> lines = lines();
        assertEquals(1, lines.size());
        JsonNode line = lines.get(0);
        assertEquals("2026-01-02T03:04:05.678Z", line.get("time").asText());
        assertEquals("INFO", line.get("level").asText());
        assertEquals("RunSupervisor", line.get("logger").asText());
        assertEquals("run=s7cPu4KCYiNYcj0n7 status=RUNNING event=STARTED message=\"\"", line.get("message").asText());
        assertEquals("s7cPu4KCYiNYcj0n7", line.get("runId").asText());
    }

    @Test
    void shouldKeepAStackTraceAndHostileTextInsideTheOneLine() throws IOException {
        plain.write(new LogEvent(TIME, Level.ERROR, "ApiHandler", "request id=7 path=\"/a\nb\\\"{\" failed",
                new IllegalStateException("boom\n\"quoted\"")), true);

        List<JsonNode> lines = lines();
        assertEquals(1, lines.size(), "a stack trace or a line break in a message stays inside the JSON string");
        JsonNode line = lines.get(0);
        assertEquals("request id=7 path=\"/a\nb\\\"{\" failed", line.get("message").asText());
        assertTrue(line.get("error").asText().startsWith("java.lang.IllegalStateException: boom\n\"quoted\""));
        assertTrue(line.get("error").asText().contains("\tat "), "the trace's frames");
        assertFalse(line.has("runId"));
    }

    @Test
    void shouldFindTheRunIdOnlyInARunField() {
        assertEquals(Optional.of("abc"), event("webhook dispatch=1 run=abc to http://x").runId());
        assertEquals(Optional.empty(), event("scheduled-run=abc").runId());
        assertEquals(Optional.empty(), event("lastrun=abc").runId());
        assertEquals(Optional.empty(), event("no run here").runId());
    }

    @Test
    void shouldPrefixJsonLinesWithThePriorityWhenStderrIsTheJournal() throws IOException {
        ByteArrayOutputStream journalStream = new ByteArrayOutputStream();
        new LogOutput(LogFormat.JOURNAL, new PrintStream(journalStream, true, StandardCharsets.UTF_8),
                new JournalSocket("/nonexistent/journal.socket"))
                .write(new LogEvent(TIME, Level.WARN, "X", "run=abc gone", null), true);

        String text = journalStream.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("<4>{"), text);
        JsonNode line = Json.MAPPER.readTree(text.substring(3));
        assertEquals("abc", line.get("runId").asText(), "the journal socket was not there: the line went to stderr");
    }

    @Test
    void shouldWriteTextAsBeforeWithoutJson() {
        plain.write(event("run=a status=FAILED"), false);
        assertEquals("2026-01-02T03:04:05.678Z INFO RunService - run=a status=FAILED\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    private static LogEvent event(String message) {
        return new LogEvent(TIME, Level.INFO, "RunService", message, null);
    }
}
