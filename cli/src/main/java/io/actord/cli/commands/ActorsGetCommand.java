package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.ActorView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl actors get ACTOR}. */
@Command(name = "get", description = "Show an actor, its default run options and its tagged builds.")
final class ActorsGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "the actor: name, user~name, user/name or id")
    String actor;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.actor(actor));
        if (out.json()) {
            out.json(answer.body());
        } else {
            out.print(ActorView.details(answer.data(), out));
        }
        return 0;
    }
}
