package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl queue info QUEUE}: the queue's counts. */
@Command(name = "info", description = "Show a request queue with its request counts.")
final class QueueInfoCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "QUEUE", description = "the request queue: id or name")
    String queue;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.requestQueue(queue));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode q = answer.data();
        out.print(new Details()
                .add("ID", Fields.text(q, "id"))
                .add("Name", Fields.text(q, "name"))
                .add("Requests", Fields.number(q, "totalRequestCount"))
                .add("Handled", Fields.number(q, "handledRequestCount"))
                .add("Pending", Fields.number(q, "pendingRequestCount"))
                .add("Created", Humanize.ago(Fields.instant(q, "createdAt"), out.now()))
                .add("Modified", Humanize.ago(Fields.instant(q, "modifiedAt"), out.now())));
        return 0;
    }
}
