package io.actord.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** actorctl's entry point: subcommands, exit codes (0 ok, 1 error, 2 usage). */
@Command(name = "actorctl", mixinStandardHelpOptions = true, version = "actorctl 0.1.0",
        description = "Administers an actord daemon.")
public final class ActordCli implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new ActordCli()).execute(args));
    }

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }
}
