package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.ActorView;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl actors create NAME [--title T] [--description D] [--build B --memory MB --timeout S]}. */
@Command(name = "create", description = "Create an actor. Its run options become the defaults of its runs.")
final class ActorsCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "NAME", description = "the actor's name: 3-63 letters, digits and dashes")
    String name;

    @Option(names = "--title", paramLabel = "TEXT", description = "a title for people")
    String title;

    @Option(names = "--description", paramLabel = "TEXT", description = "what the actor does")
    String description;

    @Mixin
    RunOptions defaults;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object().put("name", name);
        if (title != null) {
            body.put("title", title);
        }
        if (description != null) {
            body.put("description", description);
        }
        putOptions(body, "defaultRunOptions", defaults);
        ApiResponse answer = api.postJson(ApiPaths.actors(), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode actor = answer.data();
            out.line("created actor " + ActorView.fullName(actor) + " (id " + Fields.text(actor, "id") + ")");
        }
        return 0;
    }

    /** Puts the run options given into {@code body.field} as the API names them; none, no field. */
    static void putOptions(ObjectNode body, String field, RunOptions given) {
        if (given.build != null || given.memory != null || given.timeout != null) {
            ObjectNode options = body.putObject(field);
            if (given.build != null) {
                options.put("build", given.build);
            }
            if (given.memory != null) {
                options.put("memoryMbytes", given.memory);
            }
            if (given.timeout != null) {
                options.put("timeoutSecs", given.timeout);
            }
        }
    }
}
