package io.actord.daemon.schedule;

import io.actord.daemon.schedule.ScheduleService.LogEntry;

import java.util.ArrayList;
import java.util.List;

/** A fire as lines of the schedule's log (Apify: "Schedule invoked", then what each action did). */
final class FireLog {
    private static final String INFO = "INFO";
    private static final String ERROR = "ERROR";

    private FireLog() {
    }

    static List<LogEntry> lines(ScheduleFire fire) {
        List<LogEntry> lines = new ArrayList<>();
        lines.add(new LogEntry("Schedule invoked", INFO, fire.firedAt()));
        if (fire.skipped() != null) {
            lines.add(new LogEntry("Skipped: " + fire.skipped(), INFO, fire.firedAt()));
        }
        for (ScheduleFire.Outcome o : fire.outcomes()) {
            lines.add(o.runId() != null
                    ? new LogEntry("Started run " + o.runId() + " of \"" + o.target() + "\"", INFO, fire.firedAt())
                    : new LogEntry("Cannot start \"" + o.target() + "\": " + o.error(), ERROR, fire.firedAt()));
        }
        return lines;
    }
}
