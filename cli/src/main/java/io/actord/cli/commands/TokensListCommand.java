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
import picocli.CommandLine.Parameters;

/** {@code actorctl tokens list USER}: ids, names and first characters; never the tokens. */
@Command(name = "list", aliases = "ls", description = "List a user's tokens (their ids and first characters only).")
final class TokensListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "USER", description = "the user's name or id")
    String user;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.tokens(user));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        Table table = new Table("ID", "NAME", "TOKEN", "CREATED");
        for (JsonNode t : items(answer.data())) {
            table.row(Fields.text(t, "id"), Fields.text(t, "name"), Fields.text(t, "hint"),
                    Humanize.ago(Fields.instant(t, "createdAt"), out.now()));
        }
        out.print(table);
        notePaging(out, answer.data(), "tokens");
        return 0;
    }
}
