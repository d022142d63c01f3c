package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl queue delete QUEUE REQUEST_ID}. */
@Command(name = "delete", aliases = "rm", description = "Delete a request from a queue.")
final class QueueDeleteCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "QUEUE", description = "the request queue: id or name")
    String queue;

    @Parameters(index = "1", paramLabel = "REQUEST_ID", description = "the request's id")
    String requestId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.requestQueue(queue).literal("/requests").segment(requestId));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted request " + requestId + " from " + queue);
        }
        return 0;
    }
}
