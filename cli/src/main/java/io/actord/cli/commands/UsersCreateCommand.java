package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code actorctl users create USERNAME [--memory-limit MB] [--storage-limit-mb MB]}. */
@Command(name = "create", description = "Add a user. Give them a token with 'actorctl tokens create USERNAME'.")
final class UsersCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "USERNAME", description = "2-63 letters, digits, '.', '_' and '-'")
    String username;

    @Option(names = "--memory-limit", paramLabel = "MB",
            description = "the most memory the user's unfinished runs may have together (default: the daemon's)")
    Integer memoryLimit;

    @Option(names = "--storage-limit-mb", paramLabel = "MB",
            description = "the most the user's key-value records, dataset items and queue requests may hold together"
                    + " (default: the daemon's)")
    Integer storageLimit;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object().put("username", username);
        if (memoryLimit != null) {
            body.put("memoryLimitMbytes", memoryLimit);
        }
        if (storageLimit != null) {
            body.put("storageLimitMbytes", storageLimit);
        }
        ApiResponse answer = api.postJson(ApiPaths.users(), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode user = answer.data();
            out.line("created user " + Fields.text(user, "username") + " (id " + Fields.text(user, "id")
                    + ", memory limit " + Fields.number(user, "memoryLimitMbytes") + " MB, storage limit "
                    + Fields.number(user, "storageLimitMbytes") + " MB)");
        }
        return 0;
    }
}
