package io.actord.daemon.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.PrintStream;
import java.time.ZonedDateTime;

/** One logger: events at or above the threshold go to the stream, one write each, in the chosen format. */
final class ConsoleLogger extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    private final transient String shortName;
    private final transient Level threshold;
    private final transient LogFormat format;
    private final transient PrintStream out;

    ConsoleLogger(String name, Level threshold, LogFormat format, PrintStream out) {
        this.name = name;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
        this.threshold = threshold;
        this.format = format;
        this.out = out;
    }

    private boolean enabled(Level level) {
        return level.toInt() >= threshold.toInt();
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] args,
                                               Throwable error) {
        String message = MessageFormatter.basicArrayFormat(pattern, args);
        String text = format.render(ZonedDateTime.now(), level, shortName, message, error);
        // One print per event, so lines of concurrent events never interleave.
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }
}
