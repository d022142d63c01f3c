package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.Query;
import picocli.CommandLine.Parameters;

/** The {@code QUEUE REQUEST_ID} parameters of the commands on one request of a queue (a picocli mixin). */
final class QueueRequest {
    @Parameters(index = "0", paramLabel = "QUEUE", description = "the request queue: id or name")
    String queue;

    @Parameters(index = "1", paramLabel = "REQUEST_ID", description = "the request's id")
    String requestId;

    /** The request's API path. */
    Query path() {
        return ApiPaths.request(queue, requestId);
    }
}
