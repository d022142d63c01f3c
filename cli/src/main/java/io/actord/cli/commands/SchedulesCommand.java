package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl schedules create|list|get|delete}. */
@Command(name = "schedules", description = "Create, list, show and delete schedules (cron runs of actors).",
        subcommands = {SchedulesCreateCommand.class, SchedulesListCommand.class, SchedulesGetCommand.class,
                SchedulesDeleteCommand.class})
public final class SchedulesCommand {
}
