package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl builds create|list|get}. */
@Command(name = "builds", description = "Create and list an actor's builds.",
        subcommands = {BuildsCreateCommand.class, BuildsListCommand.class, BuildsGetCommand.class})
public final class BuildsCommand {
}
