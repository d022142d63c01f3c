package io.actord.daemon.logging;

import org.slf4j.event.Level;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** How a log event becomes text: the same words either way, only the prefix differs. */
public enum LogFormat {
    /** {@code 2026-01-02T03:04:05.678+00:00 INFO RunService - run=… status=…}, as slf4j-simple wrote it. */
    PLAIN,
    /**
     * {@code <6>RunService - run=… status=…} on every line, stack traces included: journald takes the
     * priority from the prefix and adds its own timestamp (sd-daemon(3)).
     */
    JOURNAL;

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    /**
     * JOURNAL when {@code JOURNAL_STREAM} (systemd's "device:inode" of the stream it connected) names
     * {@code stderr}, else PLAIN: a process whose stderr was redirected elsewhere keeps plain lines even if
     * it inherited the variable (systemd.exec(5)).
     */
    public static LogFormat detect(Map<String, String> env, Path stderr) {
        String stream = env.get("JOURNAL_STREAM");
        if (stream == null) {
            return PLAIN;
        }
        try {
            Map<String, Object> stat = Files.readAttributes(stderr, "unix:dev,ino");
            return stream.trim().equals(stat.get("dev") + ":" + stat.get("ino")) ? JOURNAL : PLAIN;
        } catch (IOException | UnsupportedOperationException e) {
            return PLAIN;
        }
    }

    /** The event as text with a line break at the end of each line. */
    public String render(ZonedDateTime time, Level level, String logger, String message, Throwable error) {
        StringBuilder text = new StringBuilder(logger).append(" - ").append(message);
        if (error != null) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            text.append('\n').append(trace.toString().stripTrailing());
        }
        if (this == PLAIN) {
            return TIME.format(time) + " " + level + " " + text + "\n";
        }
        StringBuilder out = new StringBuilder();
        text.toString().lines().forEach(line -> out.append('<').append(priority(level)).append('>').append(line)
                .append('\n'));
        return out.toString();
    }

    /** syslog(3) priorities: LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7. */
    static int priority(Level level) {
        return switch (level) {
            case ERROR -> 3;
            case WARN -> 4;
            case INFO -> 6;
            case DEBUG, TRACE -> 7;
        };
    }
}
