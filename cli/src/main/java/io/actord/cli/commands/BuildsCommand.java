package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl builds create|list|get|delete}. */
@Command(name = "builds", description = "Create, list and delete an actor's builds.",
        subcommands = {BuildsCreateCommand.class, BuildsListCommand.class, BuildsGetCommand.class,
                BuildsDeleteCommand.class})
public final class BuildsCommand {
}
