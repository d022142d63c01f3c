package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.PageOptions;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.ActorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code actorctl actors list}. */
@Command(name = "list", aliases = "ls", description = "List actors, oldest first.")
final class ActorsListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Mixin
    PageOptions page;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.actors().param("limit", page.limit).param("offset", page.offset));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        out.print(ActorView.table(items(data), out));
        notePaging(out, data, "actors");
        return 0;
    }
}
