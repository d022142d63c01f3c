package io.actord.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;

import java.util.List;

/** Actor tasks as a table and as details. */
public final class TaskView {
    private TaskView() {
    }

    public static Table table(List<JsonNode> tasks, Output out) {
        Table table = new Table("ID", "NAME", "ACTOR", "RUNS", "MODIFIED");
        for (JsonNode t : tasks) {
            table.row(Fields.text(t, "id"), ActorView.fullName(t), Fields.text(t, "actId"),
                    String.valueOf(t.path("stats").path("totalRuns").asLong(0)),
                    Humanize.ago(Fields.instant(t, "modifiedAt"), out.now()));
        }
        return table;
    }

    public static Details details(JsonNode t, Output out) {
        JsonNode options = t.path("options");
        Long timeout = Fields.number(options, "timeoutSecs");
        JsonNode input = t.path("input");
        return new Details()
                .add("ID", Fields.text(t, "id"))
                .add("Name", ActorView.fullName(t))
                .add("Actor", Fields.text(t, "actId"))
                .add("Title", Fields.text(t, "title"))
                .add("Description", Fields.text(t, "description"))
                .add("Created", RunView.when(Fields.instant(t, "createdAt"), out))
                .add("Modified", RunView.when(Fields.instant(t, "modifiedAt"), out))
                .add("Build", Fields.text(options, "build"))
                .add("Memory", RunView.memory(options))
                .add("Timeout", timeout == null ? null : timeout == 0 ? "none" : timeout + " s")
                .add("Input", input.isMissingNode() || input.isNull() ? null : input.toString())
                .add("Runs", String.valueOf(t.path("stats").path("totalRuns").asLong(0)));
    }
}
