package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl daemon status}, {@code actorctl daemon backup DIR}. */
@Command(name = "daemon", description = "The daemon itself.", subcommands = {DaemonStatusCommand.class, DaemonBackupCommand.class})
public final class DaemonCommand {
}
