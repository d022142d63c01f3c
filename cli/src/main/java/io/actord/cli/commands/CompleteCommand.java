package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code actorctl __complete runs|actors}: the candidates the completion script asks the daemon for, one a line
 * (kubectl's and gh's {@code __complete} are the model). Hidden from help and completion; an unreachable daemon
 * prints nothing (the script discards stderr).
 */
@Command(name = "__complete", hidden = true, description = "Print completion candidates from the daemon.")
public final class CompleteCommand extends ApiCommand {
    static final String RUNS = "runs";
    static final String ACTORS = "actors";
    /** How many of the newest runs are offered. */
    private static final int RUN_LIMIT = 200;

    @Parameters(paramLabel = "KIND", description = RUNS + " or " + ACTORS)
    String kind;

    @Override
    protected int execute(DaemonClient api, Output out) {
        switch (kind) {
            case RUNS -> api.get(ApiPaths.runs().param("limit", RUN_LIMIT).flag("desc", true)).data().path("items")
                    .forEach(r -> out.out().println(Fields.text(r, "id")));
            case ACTORS -> api.get(ApiPaths.actors().param("limit", 1000)).data().path("items")
                    .forEach(a -> out.out().println(Fields.text(a, "name")));
            default -> throw new CliException("nothing to complete for '" + kind + "' (" + RUNS + " or " + ACTORS + ")");
        }
        out.out().flush();
        return 0;
    }
}
