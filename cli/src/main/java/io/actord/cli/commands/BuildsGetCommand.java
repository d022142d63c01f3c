package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.BuildView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl builds get BUILD_ID}. */
@Command(name = "get", description = "Show a build.")
final class BuildsGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "BUILD_ID", description = "the build's id")
    String buildId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.build(buildId));
        if (out.json()) {
            out.json(answer.body());
        } else {
            out.print(BuildView.details(answer.data(), out));
        }
        return 0;
    }
}
