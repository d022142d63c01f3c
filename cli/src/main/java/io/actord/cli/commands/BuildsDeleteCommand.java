package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl builds delete BUILD_ID}. */
@Command(name = "delete", aliases = "rm", description = "Delete a build (refused while its runs have not finished); layers no other build uses are removed.")
final class BuildsDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "BUILD_ID", description = "the build's id")
    String buildId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.build(buildId));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted build " + buildId);
        }
        return 0;
    }
}
