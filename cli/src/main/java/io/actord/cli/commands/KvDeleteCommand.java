package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl kv delete STORE KEY}. */
@Command(name = "delete", aliases = "rm", description = "Delete a record.")
final class KvDeleteCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "STORE", description = "the key-value store: id or name")
    String store;

    @Parameters(index = "1", paramLabel = "KEY", description = "the record's key")
    String key;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.record(store, key));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted " + key + " from " + store);
        }
        return 0;
    }
}
