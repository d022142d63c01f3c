package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl users create|list|delete}. */
@Command(name = "users", description = "Create, list and delete users (over the admin Unix socket).",
        subcommands = {UsersCreateCommand.class, UsersListCommand.class, UsersDeleteCommand.class})
public final class UsersCommand {
}
