package io.actord.cli;

import io.actord.cli.commands.ActorsCommand;
import io.actord.cli.commands.BuildsCommand;
import io.actord.cli.commands.StatusCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** actorctl's entry point: subcommands, exit codes (0 ok, 1 error, 2 usage). */
@Command(name = "actorctl", mixinStandardHelpOptions = true, version = "actorctl 0.1.0",
        description = "Administers an actord daemon.", subcommands = {ActorsCommand.class, BuildsCommand.class, StatusCommand.class})
public final class ActordCli implements Runnable {
    @Mixin
    private Connection connection = new Connection();

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns the exit status. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new ActordCli());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof CliException) {
                cmd.getErr().println("error: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cli.execute(args);
    }

    Connection connection() {
        return connection;
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
