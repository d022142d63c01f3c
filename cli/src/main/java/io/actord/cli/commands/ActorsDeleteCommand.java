package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl actors delete ACTOR}. */
@Command(name = "delete", aliases = "rm", description = "Delete an actor with its builds (refused while it has unfinished runs).")
final class ActorsDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "the actor: name, user~name, user/name or id")
    String actor;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.actor(actor));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted actor " + actor);
        }
        return 0;
    }
}
