package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Payload;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl dataset push DATASET JSON|@FILE|-}: one object or an array of objects. */
@Command(name = "push", description = "Append items: a JSON object or an array of them (inline, @FILE or - for stdin).")
final class DatasetPushCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "DATASET", description = "the dataset: id or name")
    String dataset;

    @Parameters(index = "1", paramLabel = "JSON|@FILE|-", description = "the items")
    String items;

    @Override
    protected int execute(DaemonClient api, Output out) {
        byte[] body = Payload.read(items, "ITEMS", context());
        JsonNode parsed = Payload.json(body, "ITEMS");
        if (!parsed.isObject() && !parsed.isArray()) {
            throw new CliException("ITEMS must be a JSON object or an array of objects");
        }
        ApiResponse answer = api.post(ApiPaths.dataset(dataset).literal("/items"), "application/json; charset=utf-8",
                body);
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            int n = parsed.isArray() ? parsed.size() : 1;
            out.line("pushed " + n + (n == 1 ? " item" : " items") + " to " + dataset);
        }
        return 0;
    }
}
