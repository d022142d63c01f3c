package io.actord.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.nio.file.Path;

/**
 * The options every command shares, given before or after the subcommand: where the daemon is, and
 * whether to print its JSON as it is. Declared once on {@code actorctl}; subcommands inherit them.
 */
public final class Connection {
    @Option(names = "--socket", description = "the daemon's Unix socket (default: ${DEFAULT-VALUE})",
            defaultValue = "${env:ACTORD_SOCKET:-/run/actord/actord.sock}", scope = ScopeType.INHERIT)
    Path socket;

    @Option(names = "--json", description = "print the daemon's JSON answer unchanged", scope = ScopeType.INHERIT)
    boolean json;

    /** The shared options, from any command's spec (they live on the root command). */
    public static Connection of(CommandSpec spec) {
        return ((ActordCli) spec.root().userObject()).connection();
    }

    public DaemonClient client() {
        return new DaemonClient(socket);
    }

    public boolean json() {
        return json;
    }
}
