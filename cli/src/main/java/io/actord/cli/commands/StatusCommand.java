package io.actord.cli.commands;

import picocli.CommandLine.Command;

/** {@code actorctl status}: {@code daemon status} under the short name scripts use (bin/up waits on it). */
@Command(name = "status", hidden = true, description = "Show the daemon's status (as daemon status).")
public final class StatusCommand extends DaemonStatusCommand {
}
