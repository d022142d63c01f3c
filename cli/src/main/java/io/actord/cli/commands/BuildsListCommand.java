package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.PageOptions;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.BuildView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl builds list ACTOR}. */
@Command(name = "list", aliases = "ls", description = "List an actor's builds, newest first.")
final class BuildsListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "the actor: name, user~name, user/name or id")
    String actor;

    @Mixin
    PageOptions page;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.actor(actor).literal("/builds").param("limit", page.limit)
                .param("offset", page.offset).flag("desc", true));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        out.print(BuildView.table(items(data), out));
        notePaging(out, data, "builds");
        return 0;
    }
}
