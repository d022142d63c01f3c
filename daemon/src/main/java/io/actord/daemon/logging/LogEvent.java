package io.actord.daemon.logging;

import org.slf4j.event.Level;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One log event, its message formatted.
 *
 * @param logger the logger's short name ({@code RunService})
 * @param error  the throwable logged with it, or null
 */
record LogEvent(ZonedDateTime time, Level level, String logger, String message, Throwable error) {
    /** The daemon's lines about a run say so first or among their fields: {@code run=<id>}. */
    private static final Pattern RUN = Pattern.compile("(?<![\\w.-])run=([A-Za-z0-9_-]{1,64})(?![\\w-])");

    /** The run the line is about, from its {@code run=<id>} field. */
    Optional<String> runId() {
        Matcher m = RUN.matcher(message);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    /** The error's stack trace, without a trailing line break; empty without an error. */
    String trace() {
        if (error == null) {
            return "";
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString().stripTrailing();
    }
}
