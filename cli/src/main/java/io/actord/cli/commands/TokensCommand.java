package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl tokens create|list|revoke}. */
@Command(name = "tokens", description = "Create, list and revoke users' API tokens (over the admin Unix socket).",
        subcommands = {TokensCreateCommand.class, TokensListCommand.class, TokensRevokeCommand.class})
public final class TokensCommand {
}
