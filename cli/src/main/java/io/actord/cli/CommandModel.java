package io.actord.cli;

import picocli.CommandLine;

/**
 * actorctl's whole command tree, every command built in full (an invocation builds only the command it names, see
 * {@link CommandTree}): what the Debian package's man pages are generated from (packaging/), so a command or option
 * added here is documented there without a second copy.
 */
public final class CommandModel {
    private CommandModel() {
    }

    /** The root command line, writing to {@code context}'s streams. */
    public static CommandLine full(Context context) {
        CommandLine cli = new CommandLine(new ActordCli(context));
        // CommandTree builds every command for "completion", whose script covers the whole tree.
        CommandTree.attach(cli, new String[]{"completion"});
        return cli;
    }
}
