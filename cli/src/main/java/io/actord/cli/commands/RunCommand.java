package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.RunFollower;
import io.actord.cli.options.InputOptions;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.StatusLine;
import io.actord.cli.view.Fields;
import io.actord.cli.view.RunView;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code actorctl run ACTOR [--build B] [--memory MB] [--timeout S] [--input JSON|@FILE|-] [--wait|--detach]}:
 * starts a run and shows it; {@code --wait} shows it once it has finished (with a live status line on a
 * terminal) and exits with its status; {@code --detach} prints only the run's id.
 */
@Command(name = "run", description = "Start a run of an actor.",
        footer = {"", "With --wait the exit status follows the run: 0 SUCCEEDED, the run's exit code",
                "(or 1) FAILED, 124 TIMED-OUT, 130 ABORTED."})
public final class RunCommand extends ApiCommand {
    @Parameters(paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "the actor: name, user~name, user/name or id")
    String actor;

    @Mixin
    RunOptions run;

    @Mixin
    InputOptions input;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    /** What to do once the run started. */
    static final class Mode {
        @Option(names = {"-w", "--wait"}, description = "wait until the run finishes and exit with its status")
        boolean await;

        @Option(names = {"-d", "--detach"}, description = "print only the run's id")
        boolean detach;
    }

    @Override
    protected int execute(DaemonClient api, Output out) {
        return show(api, out, RunStart.start(api, context(), actor, run, input), actor, mode);
    }

    /** Shows a run that {@code started} answered, as {@code mode} asks; {@code actor} names it in its details. */
    static int show(DaemonClient api, Output out, ApiResponse started, String actor, Mode mode) {
        JsonNode run = started.data();
        String id = Fields.text(run, "id");
        if (mode.detach) {
            out.line(id);
            return 0;
        }
        if (!mode.await) {
            if (out.json()) {
                out.json(started.body());
            } else {
                out.print(RunView.details(run, actor, out));
                out.note("follow its log: actorctl runs logs -f " + id);
            }
            return 0;
        }
        ApiResponse finished;
        Thread hook = RunStart.onInterrupt(out, id);
        try (StatusLine line = out.statusLine()) {
            finished = new RunFollower(api, out).await(id, line);
        } finally {
            RunStart.forget(out, hook);
        }
        JsonNode last = finished.data();
        if (out.json()) {
            out.json(finished.body());
        } else {
            out.print(RunView.details(last, actor, out));
        }
        return CallCommand.report(out, last);
    }
}
