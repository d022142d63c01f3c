package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl tokens revoke USER TOKEN_ID}. */
@Command(name = "revoke", aliases = "rm", description = "Revoke one of a user's tokens; it stops working at once.")
final class TokensRevokeCommand extends ApiCommand {
    @Parameters(index = "0", paramLabel = "USER", description = "the user's name or id")
    String user;

    @Parameters(index = "1", paramLabel = "TOKEN_ID", description = "the token's id (from 'tokens list')")
    String tokenId;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.token(user, tokenId));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("revoked token " + tokenId + " of " + user);
        }
        return 0;
    }
}
