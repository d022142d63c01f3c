package io.actord.cli.commands;

import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.RunFollower;
import io.actord.cli.Times;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;

/**
 * {@code actorctl runs logs RUN_ID [-f] [--tail N] [--since T]}: the log as text. Escape codes the actor wrote reach
 * a terminal as they are and are stripped (by the daemon) when stdout is piped, unless {@code --raw}. The daemon
 * picks the lines ({@code tail} and {@code since} of {@code GET /v2/actor-runs/{id}/log}), so only they travel.
 */
@Command(name = "logs", aliases = "log", description = "Print a run's log; with -f, follow it until the run ends.")
final class RunsLogsCommand extends ApiCommand {
    @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
    String runId;

    @Option(names = {"-f", "--follow"}, description = "keep printing as the run writes, until it ends")
    boolean follow;

    @Option(names = "--raw", description = "keep the actor's escape codes even when stdout is not a terminal")
    boolean raw;

    @Option(names = {"-n", "--tail"}, paramLabel = "N", description = "only the last N lines (then, with -f, the new ones)")
    Integer tail;

    @Option(names = "--since", paramLabel = "T",
            description = "only lines written since T: a duration back from now (10m, 1h30m) or an RFC 3339 time")
    String since;

    @Override
    protected int execute(DaemonClient api, Output out) {
        if (tail != null && tail < 0) {
            throw new CliException("--tail must be 0 or more, got " + tail);
        }
        Instant from = since == null ? null : Times.parse(since, out.now(), "--since");
        new RunFollower(api, out).print(runId, raw || out.outIsTerminal(), follow, new RunFollower.Window(tail, from));
        return 0;
    }
}
