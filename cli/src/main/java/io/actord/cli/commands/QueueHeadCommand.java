package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl queue head QUEUE [--limit N]}: the next pending requests, without locking them. */
@Command(name = "head", description = "List the requests at the head of a queue (pending, in order).")
final class QueueHeadCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "QUEUE", description = "the request queue: id or name")
    String queue;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "25", description = "at most N requests (default ${DEFAULT-VALUE})")
    long limit;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.requestQueue(queue).literal("/head").param("limit", limit));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        Table table = new Table("ID", "METHOD", "URL", "RETRIES");
        JsonNode data = answer.data();
        data.path("items").forEach(r -> table.row(Fields.text(r, "id"), Fields.text(r, "method"), Fields.text(r, "url"),
                Fields.number(r, "retryCount")));
        out.print(table);
        if (table.isEmpty()) {
            out.note("no pending requests");
        }
        return 0;
    }
}
