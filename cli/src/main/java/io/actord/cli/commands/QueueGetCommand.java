package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.output.Details;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code actorctl queue get QUEUE REQUEST_ID}. */
@Command(name = "get", description = "Show one request of a queue.")
final class QueueGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Mixin
    QueueRequest request;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(request.path());
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode r = answer.data();
        JsonNode userData = r.get("userData");
        out.print(new Details()
                .add("ID", Fields.text(r, "id"))
                .add("URL", Fields.text(r, "url"))
                .add("Unique key", Fields.text(r, "uniqueKey"))
                .add("Method", Fields.text(r, "method"))
                .add("Retries", Fields.number(r, "retryCount"))
                .add("Handled at", Fields.text(r, "handledAt"))
                .add("User data", userData == null || userData.isNull() ? null : Json.compact(userData)));
        return 0;
    }
}
