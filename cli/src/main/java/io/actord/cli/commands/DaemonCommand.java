package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl daemon status}. */
@Command(name = "daemon", description = "The daemon itself.", subcommands = DaemonStatusCommand.class)
public final class DaemonCommand {
}
