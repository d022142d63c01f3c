package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl users create|list|update|delete}. */
@Command(name = "users", description = "Create, list, update and delete users (over the admin Unix socket).",
        subcommands = {UsersCreateCommand.class, UsersListCommand.class, UsersUpdateCommand.class,
                UsersDeleteCommand.class})
public final class UsersCommand {
}
