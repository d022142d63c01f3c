package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.InputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import io.actord.cli.view.RunView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code actorctl runs rm|reboot|metamorph}: the run changes beside abort and resurrect. */
final class RunsChangeCommands {
    private RunsChangeCommands() {
    }

    /**
     * {@code actorctl runs rm RUN_ID...}: deletes finished runs with their unnamed default storages and log (the
     * daemon refuses a run that has not finished). Prints each removed id, so {@code runs list -q --status FAILED |
     * xargs actorctl runs rm} can be checked; goes on past a failure and exits 125 if any failed.
     */
    @Command(name = "rm", aliases = "delete", description = "Delete finished runs with their default storages and logs.")
    static final class Remove extends ApiCommand {
        @Parameters(arity = "1..*", paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class,
                description = "the runs' ids")
        List<String> runIds = new ArrayList<>();

        @Override
        protected int execute(DaemonClient api, Output out) {
            List<String> failed = new ArrayList<>();
            for (String id : runIds) {
                try {
                    api.delete(ApiPaths.run(id));
                    out.line(id);
                } catch (CliException e) {
                    out.err().println("error: run " + id + ": " + e.getMessage());
                    failed.add(id);
                }
            }
            if (!failed.isEmpty()) {
                throw new CliException(failed.size() + " of " + runIds.size() + " runs were not removed");
            }
            return 0;
        }
    }

    /** {@code actorctl runs reboot RUN_ID}: restarts a running run's container in place (Apify's reboot). */
    @Command(name = "reboot", description = "Restart a running run's container, with the same storages.")
    static final class Reboot extends ApiCommand {
        @Parameters(paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class, description = "the run's id")
        String runId;

        @Override
        protected int execute(DaemonClient api, Output out) {
            return show(out, api.post(ApiPaths.run(runId).literal("/reboot")));
        }
    }

    /**
     * {@code actorctl runs metamorph RUN_ID ACTOR [--build B] [--input JSON|@FILE|-]}: turns a running run into a
     * run of another actor, with the same storages (Apify's metamorph; the run's owner only).
     */
    @Command(name = "metamorph", description = "Turn a running run into a run of another actor, keeping its storages.")
    static final class Metamorph extends ApiCommand {
        @Parameters(index = "0", paramLabel = "RUN_ID", completionCandidates = Candidates.RunIds.class,
                description = "the run's id")
        String runId;

        @Parameters(index = "1", paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
                description = "the actor to become: name, user~name, user/name or id")
        String actor;

        @Option(names = {"-b", "--build"}, paramLabel = "TAG|NUMBER", description = "the target's build (default: its default)")
        String build;

        @Mixin
        InputOptions input;

        @Override
        protected int execute(DaemonClient api, Output out) {
            var target = ApiPaths.run(runId).literal("/metamorph").param("targetActorId", ApiPaths.actorRef(actor))
                    .param("build", build);
            return show(out, RunStart.post(api, context(), target, input));
        }
    }

    static int show(Output out, ApiResponse answer) {
        if (out.json()) {
            out.json(answer.body());
        } else {
            JsonNode run = answer.data();
            out.line("run ", Fields.text(run, "id"), ": ", RunView.status(run));
        }
        return 0;
    }
}
