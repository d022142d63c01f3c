package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import io.actord.cli.view.RunView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl runs get RUN_ID}. */
@Command(name = "get", description = "Show a run: status, times, resources, storages and container URL.")
final class RunsGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
    String runId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.run(runId));
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode run = answer.data();
            out.print(RunView.details(run, actorName(api, Fields.text(run, "actId")), out));
        }
        return 0;
    }

    /** The actor's name for a run's actId, or null if it cannot be read (deleted since). */
    static String actorName(DaemonClient api, String actId) {
        if (actId == null) {
            return null;
        }
        try {
            return Fields.text(api.get(ApiPaths.actor(actId)).data(), "name");
        } catch (CliException e) {
            return null;
        }
    }
}
