package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl queue info|add|head|get|delete}. */
@Command(name = "queue", description = "Inspect and fill request queues.",
        subcommands = {QueueInfoCommand.class, QueueAddCommand.class, QueueHeadCommand.class, QueueGetCommand.class,
                QueueDeleteCommand.class})
public final class QueueCommand {
}
