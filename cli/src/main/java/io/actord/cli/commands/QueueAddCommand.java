package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Payload;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl queue add QUEUE URL [--method M] [--unique-key K] [--user-data JSON] [--forefront]}. */
@Command(name = "add", description = "Add a request (a URL to crawl) to a queue.")
final class QueueAddCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE", description = "the request queue: id or name")
    String queue;

    @Parameters(index = "1", paramLabel = "URL", description = "the request's URL")
    String url;

    @Option(names = "--method", paramLabel = "M", defaultValue = "GET", description = "the HTTP method (default ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--unique-key", paramLabel = "K", description = "the key that deduplicates requests (default: the URL)")
    String uniqueKey;

    @Option(names = "--user-data", paramLabel = "JSON", description = "a JSON object the crawler gets with the request")
    String userData;

    @Option(names = "--forefront", description = "put the request at the head of the queue")
    boolean forefront;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode request = Json.object().put("url", url).put("uniqueKey", uniqueKey == null ? url : uniqueKey)
                .put("method", method);
        if (userData != null) {
            JsonNode data = Payload.json(Payload.read(userData, "--user-data", context()), "--user-data");
            if (!data.isObject()) {
                throw new CliException("--user-data must be a JSON object");
            }
            request.set("userData", data);
        }
        ApiResponse answer = api.postJson(ApiPaths.requestQueue(queue).literal("/requests").flag("forefront", forefront),
                request);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode result = answer.data();
            boolean present = result.path("wasAlreadyPresent").asBoolean(false);
            out.line((present ? "already queued: request " : "added request ") + Fields.text(result, "requestId")
                    + (result.path("wasAlreadyHandled").asBoolean(false) ? " (handled)" : ""));
        }
        return 0;
    }
}
