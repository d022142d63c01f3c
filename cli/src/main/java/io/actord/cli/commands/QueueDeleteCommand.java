package io.actord.cli.commands;

import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code actorctl queue delete QUEUE REQUEST_ID}. */
@Command(name = "delete", aliases = "rm", description = "Delete a request from a queue.")
final class QueueDeleteCommand extends ApiCommand {
    @Mixin
    QueueRequest request;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(request.path());
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted request " + request.requestId + " from " + request.queue);
        }
        return 0;
    }
}
