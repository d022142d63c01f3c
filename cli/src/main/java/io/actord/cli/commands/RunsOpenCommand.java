package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl runs open RUN_ID}: the container URL, to hand to a browser or curl. */
@Command(name = "open", description = "Print the URL of a run's container web server.")
final class RunsOpenCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
    String runId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        JsonNode run = api.get(ApiPaths.run(runId)).data();
        String url = Fields.text(run, "containerUrl");
        if (url == null) {
            throw new CliException("run " + runId + " has no container URL");
        }
        out.line(url);
        String status = run.path("status").asText();
        if (!status.equals("RUNNING")) {
            out.note("run " + runId + " is " + status + ": nothing answers at its URL unless it is running");
        }
        return 0;
    }
}
