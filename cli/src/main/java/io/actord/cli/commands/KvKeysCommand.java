package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Humanize;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl kv keys STORE [--prefix P] [--limit N] [--after KEY]}: keys in UTF-8 byte order. */
@Command(name = "keys", aliases = "ls", description = "List a store's keys with their sizes.")
final class KvKeysCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "STORE", description = "the key-value store: id or name")
    String store;

    @Option(names = "--prefix", paramLabel = "P", description = "only keys that start with P")
    String prefix;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "at most N keys (default ${DEFAULT-VALUE})")
    long limit;

    @Option(names = "--after", paramLabel = "KEY", description = "start after this key (exclusiveStartKey)")
    String after;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.keyValueStore(store).literal("/keys").param("limit", limit)
                .param("prefix", prefix).param("exclusiveStartKey", after));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        Table table = new Table("KEY", "SIZE");
        data.path("items").forEach(item -> {
            Long size = Fields.number(item, "size");
            table.row(Fields.text(item, "key"), size == null ? null : Humanize.bytes(size));
        });
        out.print(table);
        if (data.path("isTruncated").asBoolean(false)) {
            out.note("more keys follow: --after " + Fields.text(data, "nextExclusiveStartKey"));
        }
        return 0;
    }
}
