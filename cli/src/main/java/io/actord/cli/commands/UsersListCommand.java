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

/** {@code actorctl users list}. */
@Command(name = "list", aliases = "ls", description = "List the users, by name, with their memory limits and use.")
final class UsersListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.users());
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        Table table = new Table("ID", "USERNAME", "MEMORY LIMIT", "IN USE", "STORAGE LIMIT", "STORED", "CREATED");
        for (JsonNode u : items(answer.data())) {
            table.row(Fields.text(u, "id"), Fields.text(u, "username"), Fields.number(u, "memoryLimitMbytes") + " MB"
                    + (u.path("memoryLimitIsDefault").asBoolean() ? " (default)" : ""),
                    Fields.number(u, "memoryUsedMbytes") + " MB", Fields.number(u, "storageLimitMbytes") + " MB"
                    + (u.path("storageLimitIsDefault").asBoolean() ? " (default)" : ""),
                    Humanize.bytes(u.path("storageUsedBytes").asLong()), Humanize.ago(Fields.instant(u, "createdAt"), out.now()));
        }
        out.print(table);
        return 0;
    }
}
