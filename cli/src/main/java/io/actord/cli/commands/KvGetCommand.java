package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl kv get STORE KEY}: the record's bytes, as stored, on stdout. */
@Command(name = "get", description = "Print a record's value as it is stored.")
final class KvGetCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "STORE", description = "the key-value store: id or name")
    String store;

    @Parameters(index = "1", paramLabel = "KEY", description = "the record's key")
    String key;

    @Override
    protected int execute(DaemonClient api, Output out) {
        out.bytes(api.get(ApiPaths.record(store, key).param("attachment", "true")).body());
        return 0;
    }
}
