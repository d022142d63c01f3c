package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import io.actord.cli.view.RunView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl runs abort RUN_ID [--graceful]}: a finished run is left as it is (Apify: "no effect"). */
@Command(name = "abort", description = "Abort a run: now, or with --graceful after the actor had time to save its state.")
final class RunsAbortCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run's id")
    String runId;

    @Option(names = {"-g", "--graceful"},
            description = "send the actor 'aborting' and 'persistState' and kill it only after the grace period")
    boolean graceful;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.post(ApiPaths.run(runId).literal("/abort").flag("gracefully", graceful));
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode run = answer.data();
            out.line("run ", Fields.text(run, "id"), ": ", RunView.status(run));
        }
        return 0;
    }
}
