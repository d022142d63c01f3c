package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl actors create|list|get|delete}. */
@Command(name = "actors", description = "Create, list, show and delete actors.",
        subcommands = {ActorsCreateCommand.class, ActorsListCommand.class, ActorsGetCommand.class,
                ActorsDeleteCommand.class})
public final class ActorsCommand {
}
