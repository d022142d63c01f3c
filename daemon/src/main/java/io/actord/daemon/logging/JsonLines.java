package io.actord.daemon.logging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.format.DateTimeFormatter;

/**
 * {@code --log-format json}: each event as one JSON object on one line, for log shippers:
 * {@code {"time":"2026-01-02T03:04:05.678Z","level":"INFO","logger":"RunService","message":"run=… status=…","runId":"…"}},
 * {@code runId} when the line is about a run, {@code error} (the stack trace) when one was logged. Jackson's
 * generator writes it, so every string is escaped as JSON requires.
 */
final class JsonLines {
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private JsonLines() {
    }

    /** The event as one line of JSON, without the line break. */
    static String render(LogEvent e) {
        StringWriter out = new StringWriter(160);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", TIME.format(e.time()));
            g.writeStringField("level", e.level().name());
            g.writeStringField("logger", e.logger());
            g.writeStringField("message", e.message());
            String runId = e.runId().orElse(null);
            if (runId != null) {
                g.writeStringField("runId", runId);
            }
            if (e.error() != null) {
                g.writeStringField("error", e.trace());
            }
            g.writeEndObject();
        } catch (IOException ex) {
            throw new UncheckedIOException("render a log line as JSON", ex);
        }
        return out.toString();
    }
}
