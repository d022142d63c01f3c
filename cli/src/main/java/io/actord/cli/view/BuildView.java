package io.actord.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Style;
import io.actord.cli.output.Table;

import java.util.ArrayList;
import java.util.List;

/** Builds as a table and as details. */
public final class BuildView {
    private BuildView() {
    }

    public static Table table(List<JsonNode> builds, Output out) {
        Table table = new Table("ID", "NUMBER", "TAGS", "STATUS", "FINISHED", "COMMAND");
        for (JsonNode b : builds) {
            table.row(Fields.text(b, "id"), Fields.text(b, "buildNumber"), strings(b.path("tags"), ","),
                    Style.status(String.valueOf(Fields.text(b, "status"))),
                    Humanize.ago(Fields.instant(b, "finishedAt"), out.now()), strings(b.path("command"), " "));
        }
        return table;
    }

    public static Details details(JsonNode b, Output out) {
        return new Details()
                .add("ID", Fields.text(b, "id"))
                .add("Actor", Fields.text(b, "actId"))
                .add("Number", Fields.text(b, "buildNumber"))
                .add("Tags", strings(b.path("tags"), ", "))
                .add("Status", Style.status(String.valueOf(Fields.text(b, "status"))))
                .add("Finished", RunView.when(Fields.instant(b, "finishedAt"), out))
                .add("Source", Fields.text(b, "source"))
                .add("Layers", b.path("layers").isArray() ? Integer.toString(b.path("layers").size()) : null)
                .add("Command", strings(b.path("command"), " "))
                .add("Working dir", Fields.text(b, "workDir"))
                .add("User", Fields.text(b, "user"));
    }

    static String strings(JsonNode array, String separator) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return parts.isEmpty() ? null : String.join(separator, parts);
    }
}
