package io.actord.cli.commands;

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

/**
 * {@code actorctl tokens create USER [--name NAME]}: prints the token alone on stdout (so that
 * {@code TOKEN=$(actorctl tokens create ann)} works), and on stderr that it is shown only this once.
 */
@Command(name = "create", description = "Make an API token for a user; it is shown only this once.")
final class TokensCreateCommand extends ApiCommand {
    @Parameters(paramLabel = "USER", description = "the user's name or id")
    String user;

    @Option(names = "--name", paramLabel = "NAME", description = "what the token is for, to tell tokens apart")
    String name;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ObjectNode body = Json.object();
        if (name != null) {
            body.put("name", name);
        }
        ApiResponse answer = api.postJson(ApiPaths.tokens(user), body);
        if (out.json()) {
            out.json(answer.body());
        } else {
            out.line(Fields.text(answer.data(), "token"));
            out.note("token " + Fields.text(answer.data(), "id") + " for " + user + ": keep it now, it is not shown"
                    + " again (send it as Authorization: Bearer, or APIFY_TOKEN)");
        }
        return 0;
    }
}
