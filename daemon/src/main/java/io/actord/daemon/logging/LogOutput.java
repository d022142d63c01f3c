package io.actord.daemon.logging;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Writes each event where the daemon's lines go, in the chosen format: text or JSON ({@code --log-format}), on
 * stderr, with syslog priorities when stderr is the journal ({@link LogFormat#JOURNAL}). There, a line about a run
 * goes to the journal's native socket instead, with the run id as its own field {@code RUN_ID=}
 * ({@code journalctl -u actord RUN_ID=…}); when the journal does not take it, it goes to stderr as any other.
 */
final class LogOutput {
    /** The name the stream's lines carry too (the unit's ExecStart is /usr/bin/actord). */
    static final String IDENTIFIER = "actord";

    private final LogFormat sink;
    private final PrintStream out;
    private final JournalSocket journal;

    /** @param journal the journal's native socket, used when {@code sink} is {@link LogFormat#JOURNAL} */
    LogOutput(LogFormat sink, PrintStream out, JournalSocket journal) {
        this.sink = sink;
        this.out = out;
        this.journal = journal;
    }

    void write(LogEvent e, boolean json) {
        String body = json ? JsonLines.render(e) : null;
        if (sink == LogFormat.JOURNAL) {
            Optional<String> run = e.runId();
            if (run.isPresent() && journal.send(fields(e, run.get(), json ? body : text(e)))) {
                return;
            }
        }
        String text;
        if (!json) {
            text = sink.render(e.time(), e.level(), e.logger(), e.message(), e.error());
        } else if (sink == LogFormat.JOURNAL) {
            text = "<" + LogFormat.priority(e.level()) + ">" + body + "\n";
        } else {
            text = body + "\n";
        }
        // One print per event, so lines of concurrent events never interleave.
        synchronized (out) {
            out.print(text);
            out.flush();
        }
    }

    /** The text a journal entry's MESSAGE has: the stream's line without its priority, the stack trace after it. */
    private static String text(LogEvent e) {
        return e.logger() + " - " + e.message() + (e.error() == null ? "" : "\n" + e.trace());
    }

    static Map<String, String> fields(LogEvent e, String runId, String message) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("MESSAGE", message);
        fields.put("PRIORITY", Integer.toString(LogFormat.priority(e.level())));
        fields.put("SYSLOG_IDENTIFIER", IDENTIFIER);
        fields.put("RUN_ID", runId);
        return fields;
    }
}
