package io.actord.cli.commands;

import io.actord.cli.DaemonClient;
import io.actord.cli.RunFollower;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code actorctl runs logs RUN_ID [-f]}: the log as text. Escape codes the actor wrote reach a terminal
 * as they are and are stripped (by the daemon) when stdout is piped, unless {@code --raw}.
 */
@Command(name = "logs", aliases = "log", description = "Print a run's log; with -f, follow it until the run ends.")
final class RunsLogsCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", description = "the run's id")
    String runId;

    @Option(names = {"-f", "--follow"}, description = "keep printing as the run writes, until it ends")
    boolean follow;

    @Option(names = "--raw", description = "keep the actor's escape codes even when stdout is not a terminal")
    boolean raw;

    @Override
    protected int execute(DaemonClient api, Output out) {
        new RunFollower(api, out).print(runId, raw || out.outIsTerminal(), follow);
        return 0;
    }
}
