package io.actord.cli.commands;

import picocli.CommandLine.Command;

/**
 * {@code actorctl daemon status}, {@code actorctl daemon backup DIR}, {@code actorctl daemon drain}, {@code actorctl
 * daemon undrain}.
 */
@Command(name = "daemon", description = "The daemon itself.", subcommands = {DaemonStatusCommand.class, DaemonBackupCommand.class,
        DaemonDrainCommand.class, DaemonUndrainCommand.class})
public final class DaemonCommand {
}
