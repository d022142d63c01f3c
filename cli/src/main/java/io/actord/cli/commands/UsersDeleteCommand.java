package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl users delete USER}. */
@Command(name = "delete", aliases = "rm",
        description = "Delete a user; their tokens stop working at once (refused while they have unfinished runs).")
final class UsersDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "the user's name or id")
    String user;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.user(user));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted user " + user);
        }
        return 0;
    }
}
