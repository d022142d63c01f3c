package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl runs abort RUN_ID [--graceful]}: a finished run is left as it is (Apify: "no effect"). */
@Command(name = "abort", description = "Abort a run: now, or with --graceful after the actor had time to save its state.")
final class RunsAbortCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
    String runId;

    @Option(names = {"-g", "--graceful"},
            description = "send the actor 'aborting' and 'persistState' and kill it only after the grace period")
    boolean graceful;

    @Override
    protected int execute(DaemonClient api, Output out) {
        return RunsChangeCommands.show(out, api.post(ApiPaths.run(runId).literal("/abort").flag("gracefully", graceful)));
    }
}
