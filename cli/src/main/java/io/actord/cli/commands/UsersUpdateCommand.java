package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.CliException;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;

/** {@code actorctl users update USER [--memory-limit MB|default] [--storage-limit-mb MB|default]}. */
@Command(name = "update", description = "Change a user's limits; 'default' goes back to the daemon's.")
final class UsersUpdateCommand extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "the user's name or id")
    String user;

    @Option(names = "--memory-limit", paramLabel = "MB|default",
            description = "the most memory the user's unfinished runs may have together")
    String memoryLimit;

    @Option(names = "--storage-limit-mb", paramLabel = "MB|default",
            description = "the most the user's key-value records, dataset items and queue requests may hold together")
    String storageLimit;

    @Override
    protected int execute(DaemonClient api, Output out) {
        if (memoryLimit == null && storageLimit == null) {
            throw new CliException("give --memory-limit or --storage-limit-mb");
        }
        ObjectNode body = Json.object();
        limit(body, "memoryLimitMbytes", memoryLimit);
        limit(body, "storageLimitMbytes", storageLimit);
        ApiResponse answer = api.put(ApiPaths.user(user), "application/json",
                body.toString().getBytes(StandardCharsets.UTF_8));
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode u = answer.data();
            out.line("user " + Fields.text(u, "username") + ": memory limit " + Fields.number(u, "memoryLimitMbytes")
                    + " MB, storage limit " + Fields.number(u, "storageLimitMbytes") + " MB");
        }
        return 0;
    }

    private static void limit(ObjectNode body, String field, String value) {
        if (value == null) {
            return;
        }
        if (value.equals("default")) {
            body.putNull(field);
            return;
        }
        try {
            body.put(field, Integer.parseInt(value));
        } catch (NumberFormatException e) {
            throw new CliException(field + ": '" + value + "' is neither a number of MB nor 'default'");
        }
    }
}
