package io.actord.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.output.Details;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;

import java.util.ArrayList;
import java.util.List;

/** Schedules as a table and as details. */
public final class ScheduleView {
    private ScheduleView() {
    }

    public static Table table(List<JsonNode> schedules, Output out) {
        Table table = new Table("ID", "NAME", "CRON", "TIMEZONE", "ENABLED", "NEXT RUN", "LAST RUN");
        for (JsonNode s : schedules) {
            table.row(Fields.text(s, "id"), Fields.text(s, "name"), Fields.text(s, "cronExpression"),
                    Fields.text(s, "timezone"), s.path("isEnabled").asBoolean() ? "yes" : "no",
                    RunView.when(Fields.instant(s, "nextRunAt"), out),
                    RunView.when(Fields.instant(s, "lastRunAt"), out));
        }
        return table;
    }

    public static Details details(JsonNode s, Output out) {
        return new Details()
                .add("ID", Fields.text(s, "id"))
                .add("Name", Fields.text(s, "name"))
                .add("Title", Fields.text(s, "title"))
                .add("Description", Fields.text(s, "description"))
                .add("Cron", Fields.text(s, "cronExpression"))
                .add("Time zone", Fields.text(s, "timezone"))
                .add("Enabled", s.path("isEnabled").asBoolean() ? "yes" : "no")
                .add("Exclusive", s.path("isExclusive").asBoolean() ? "yes" : "no")
                .add("Next run", RunView.when(Fields.instant(s, "nextRunAt"), out))
                .add("Last run", RunView.when(Fields.instant(s, "lastRunAt"), out))
                .add("Actions", actions(s.path("actions")));
    }

    private static String actions(JsonNode actions) {
        List<String> parts = new ArrayList<>();
        for (JsonNode a : actions) {
            String target = Fields.text(a, "actorId") != null ? "actor " + Fields.text(a, "actorId")
                    : "task " + Fields.text(a, "actorTaskId");
            parts.add(target);
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
