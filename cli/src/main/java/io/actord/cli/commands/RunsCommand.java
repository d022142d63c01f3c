package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl runs list|get|abort|resurrect|logs|open|rm|reboot|metamorph}. */
@Command(name = "runs", description = "List, show, abort, resurrect, reboot, metamorph and delete runs; read their logs.",
        subcommands = {RunsListCommand.class, RunsGetCommand.class, RunsAbortCommand.class,
                RunsResurrectCommand.class, RunsLogsCommand.class, RunsOpenCommand.class, RunsChangeCommands.Remove.class,
                RunsChangeCommands.Reboot.class, RunsChangeCommands.Metamorph.class})
public final class RunsCommand {
}
