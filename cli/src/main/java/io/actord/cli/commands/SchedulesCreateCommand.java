package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code actorctl schedules create --cron EXPR --actor ACTOR... [--timezone Z] [--name N] [--input JSON]}. */
@Command(name = "create", description = "Create a schedule that runs actors at the times a cron expression gives.")
final class SchedulesCreateCommand extends ApiCommand {
    @Option(names = "--cron", required = true, paramLabel = "EXPR",
            description = "when: five cron fields (minute hour day month weekday), six with seconds first, or @daily,"
                    + " @hourly ...")
    String cron;

    @Option(names = "--actor", required = true, paramLabel = "ACTOR",
            description = "an actor to run (name, user~name or id); repeat for several")
    List<String> actors;

    @Option(names = "--timezone", paramLabel = "ZONE", description = "the IANA time zone of the cron (default UTC)")
    String timezone;

    @Option(names = "--name", paramLabel = "NAME", description = "a name: letters, digits and dashes")
    String name;

    @Option(names = "--input", paramLabel = "JSON", description = "the runs' INPUT, as JSON")
    String input;

    @Option(names = "--exclusive", description = "skip a fire while the last run it started still runs")
    boolean exclusive;

    @Option(names = "--disabled", description = "create it disabled")
    boolean disabled;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object().put("cronExpression", cron).put("isExclusive", exclusive)
                .put("isEnabled", !disabled);
        if (timezone != null) {
            body.put("timezone", timezone);
        }
        if (name != null) {
            body.put("name", name);
        }
        ArrayNode actions = body.putArray("actions");
        for (String actor : actors) {
            ObjectNode action = actions.addObject().put("type", "RUN_ACTOR").put("actorId", ApiPaths.actorRef(actor));
            if (input != null) {
                action.putObject("runInput").put("body", input).put("contentType", "application/json; charset=utf-8");
            }
        }
        ApiResponse answer = api.postJson(ApiPaths.schedules(), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode s = answer.data();
            out.line("created schedule " + Fields.text(s, "id") + ", next run " + Fields.text(s, "nextRunAt"));
        }
        return 0;
    }
}
