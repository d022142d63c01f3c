package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl tasks create|list|get|delete|run}. */
@Command(name = "tasks", description = "Create, list, show, delete and run actor tasks (an actor's saved input and options).",
        subcommands = {TasksCreateCommand.class, TasksListCommand.class, TasksGetCommand.class,
                TasksDeleteCommand.class, TasksRunCommand.class})
public final class TasksCommand {
}
