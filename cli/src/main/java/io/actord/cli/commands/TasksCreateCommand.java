package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Payload;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.ActorView;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl tasks create NAME --actor ACTOR [--input JSON|@FILE|-] [--title T] [--build B --memory MB --timeout S]}. */
@Command(name = "create", description = "Create a task: an actor with saved input and run options.")
final class TasksCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the task's name: 3-63 letters, digits and dashes")
    String name;

    @Option(names = {"-a", "--actor"}, required = true, paramLabel = "ACTOR",
            description = "the actor it runs: name, user~name, user/name or id")
    String actor;

    @Option(names = {"-i", "--input"}, paramLabel = "JSON|@FILE|-",
            description = "the task's input, a JSON object: the text itself, @FILE to read a file, or - to read stdin")
    String input;

    @Option(names = "--title", paramLabel = "TEXT", description = "a title for people")
    String title;

    @Mixin
    RunOptions options;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object().put("actId", ApiPaths.actorRef(actor)).put("name", name);
        if (title != null) {
            body.put("title", title);
        }
        if (input != null) {
            body.set("input", Payload.json(Payload.read(input, "--input", context()), "--input"));
        }
        ActorsCreateCommand.putOptions(body, "options", options);
        ApiResponse answer = api.postJson(ApiPaths.tasks(), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode task = answer.data();
            out.line("created task " + ActorView.fullName(task) + " (id " + Fields.text(task, "id") + ")");
        }
        return 0;
    }
}
