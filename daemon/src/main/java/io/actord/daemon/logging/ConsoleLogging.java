package io.actord.daemon.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The SLF4J provider (found through META-INF/services): every logger writes as {@link LogOutput} says, to stderr
 * with the prefix {@link LogFormat#detect} chooses (run lines to the journal's socket under systemd), as text or,
 * after {@link #useJson}, JSON lines; the threshold is the system property {@code actord.log.level} (error, warn,
 * info, debug, trace; default info). The libraries of the PostgreSQL state store, Flyway and HikariCP, say at info what
 * only a debugging operator needs (some ten lines per store opened): below debug they log warnings and errors alone,
 * and the store's own line says it opened.
 */
public final class ConsoleLogging implements SLF4JServiceProvider {
    public static final String LEVEL_PROPERTY = "actord.log.level";
    private static final List<String> CHATTY = List.of("org.flywaydb.", "com.zaxxer.hikari.");

    private static volatile boolean json;

    private final Map<String, ConsoleLogger> loggers = new ConcurrentHashMap<>();
    private final IMarkerFactory markers = new BasicMarkerFactory();
    private final MDCAdapter mdc = new NOPMDCAdapter();
    private ILoggerFactory factory;

    @Override
    public void initialize() {
        Level threshold = threshold(System.getProperty(LEVEL_PROPERTY, "info"));
        LogFormat format = LogFormat.detect(System.getenv(), Path.of("/proc/self/fd/2"));
        LogOutput output = new LogOutput(format, System.err, new JournalSocket(JournalSocket.PATH));
        factory = name -> loggers.computeIfAbsent(name, n -> new ConsoleLogger(n, threshold(n, threshold), output));
    }

    /** From now on every line is one JSON object ({@code --log-format json}), or text again. */
    public static void useJson(boolean on) {
        json = on;
    }

    static boolean json() {
        return json;
    }

    /** {@code threshold}, raised to warn for the {@link #CHATTY} libraries unless it is debug or trace. */
    static Level threshold(String logger, Level threshold) {
        boolean chatty = CHATTY.stream().anyMatch(logger::startsWith);
        return chatty && threshold.toInt() > Level.DEBUG.toInt() && threshold.toInt() < Level.WARN.toInt()
                ? Level.WARN : threshold;
    }

    private static Level threshold(String name) {
        try {
            return Level.valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("actord: " + LEVEL_PROPERTY + "=" + name + " is not error, warn, info, debug or trace;"
                    + " logging at info");
            return Level.INFO;
        }
    }

    @Override
    public ILoggerFactory getLoggerFactory() {
        return factory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }
}
