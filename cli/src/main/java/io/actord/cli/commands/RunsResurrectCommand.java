package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl runs resurrect RUN_ID [--build B] [--memory MB] [--timeout S]}. */
@Command(name = "resurrect", description = "Restart a finished run on the same storages; its timeout counts from now.")
final class RunsResurrectCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
    String runId;

    @Mixin
    RunOptions options;

    @Override
    protected int execute(DaemonClient api, Output out) {
        return RunsChangeCommands.show(out, api.post(ApiPaths.run(runId).literal("/resurrect").param("build", options.build)
                .param("memory", options.memory).param("timeout", options.timeout)));
    }
}
