package io.actord.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Actors as a table and as details. */
public final class ActorView {
    private ActorView() {
    }

    public static Table table(List<JsonNode> actors, Output out) {
        Table table = new Table("ID", "NAME", "TITLE", "CREATED", "MODIFIED");
        for (JsonNode a : actors) {
            table.row(Fields.text(a, "id"), fullName(a), Fields.text(a, "title"),
                    Humanize.ago(Fields.instant(a, "createdAt"), out.now()),
                    Humanize.ago(Fields.instant(a, "modifiedAt"), out.now()));
        }
        return table;
    }

    public static Details details(JsonNode a, Output out) {
        JsonNode options = a.path("defaultRunOptions");
        Long timeout = Fields.number(options, "timeoutSecs");
        Details d = new Details()
                .add("ID", Fields.text(a, "id"))
                .add("Name", fullName(a))
                .add("Title", Fields.text(a, "title"))
                .add("Description", Fields.text(a, "description"))
                .add("Created", RunView.when(Fields.instant(a, "createdAt"), out))
                .add("Modified", RunView.when(Fields.instant(a, "modifiedAt"), out))
                .add("Default build", Fields.text(options, "build"))
                .add("Default memory", RunView.memory(options))
                .add("Default timeout", timeout == null ? null : timeout == 0 ? "none" : timeout + " s");
        d.add("Tagged builds", taggedBuilds(a.path("taggedBuilds")));
        return d;
    }

    /** {@code username~name}, the form the API accepts anywhere an actor is named. */
    public static String fullName(JsonNode a) {
        String user = Fields.text(a, "username");
        String name = Fields.text(a, "name");
        return user == null ? name : user + "~" + name;
    }

    private static String taggedBuilds(JsonNode tagged) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : tagged.properties()) {
            parts.add(e.getKey() + " → " + Fields.text(e.getValue(), "buildNumber"));
        }
        return parts.isEmpty() ? null : String.join(", ", parts);
    }
}
