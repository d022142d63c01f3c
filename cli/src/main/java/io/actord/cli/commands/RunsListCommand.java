package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Query;
import io.actord.cli.options.PageOptions;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import io.actord.cli.view.RunView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** {@code actorctl runs list [--status S[,S]] [--actor A]}: newest first. */
@Command(name = "list", aliases = "ls", description = "List runs, newest first.")
final class RunsListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    /** Apify's run statuses, for completion and help. */
    static final class Statuses implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return List.of("READY", "RUNNING", "SUCCEEDED", "FAILED", "TIMING-OUT", "TIMED-OUT", "ABORTING", "ABORTED")
                    .iterator();
        }
    }

    @Option(names = {"-s", "--status"}, paramLabel = "STATUS", completionCandidates = Statuses.class,
            description = "only runs with this status (or comma-separated statuses): ${COMPLETION-CANDIDATES}")
    String status;

    @Option(names = {"-a", "--actor"}, paramLabel = "ACTOR", completionCandidates = Candidates.ActorNames.class,
            description = "only runs of this actor")
    String actor;

    @Mixin
    PageOptions page;

    @Override
    protected int execute(DaemonClient api, Output out) {
        Query target = (actor == null ? ApiPaths.runs() : ApiPaths.actor(actor).literal("/runs"))
                .param("status", status).param("limit", page.limit).param("offset", page.offset).flag("desc", true);
        ApiResponse answer = api.get(target);
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        out.print(RunView.table(items(data), actorNames(api), out));
        notePaging(out, data, "runs");
        return 0;
    }

    /** Actor ids to names, for the ACTOR column; ids are shown if the actors cannot be listed. */
    private static Map<String, String> actorNames(DaemonClient api) {
        Map<String, String> names = new HashMap<>();
        try {
            api.get(ApiPaths.actors().param("limit", 1000)).data().path("items").forEach(a ->
                    names.put(Fields.text(a, "id"), Fields.text(a, "name")));
        } catch (CliException e) {
            return Map.of();
        }
        return names;
    }
}
