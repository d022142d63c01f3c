package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl runs list|get|abort|resurrect|logs|open}. */
@Command(name = "runs", description = "List, show, abort and resurrect runs; read their logs.",
        subcommands = {RunsListCommand.class, RunsGetCommand.class, RunsAbortCommand.class,
                RunsResurrectCommand.class, RunsLogsCommand.class, RunsOpenCommand.class})
public final class RunsCommand {
}
