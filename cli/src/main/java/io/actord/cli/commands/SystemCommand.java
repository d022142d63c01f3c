package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Query;
import io.actord.cli.Times;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Instant;
import java.util.Arrays;

/**
 * {@code actorctl system df|prune}: the daemon's disk, as {@code docker system df|prune} show and free it. Both are
 * the admin's (over the admin socket).
 */
@Command(name = "system", description = "Show the daemon's disk use; remove unused layers and old finished runs.",
        subcommands = {SystemCommand.Df.class, SystemCommand.Prune.class})
public final class SystemCommand {
    static final String PATH = "/v2/actord/system";

    /** {@code actorctl system df}: one row per kind of data. */
    @Command(name = "df", description = "Show the space used by image layers, runs, storages and the state store.")
    static final class Df extends ApiCommand {
        @Mixin
        OutputOptions format;

        @Override
        protected int execute(DaemonClient api, Output out) {
            ApiResponse answer = api.get(Query.path(PATH + "/df"));
            if (out.json()) {
                out.json(answer.body());
                return 0;
            }
            Table table = out.wide() ? new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE", "BYTES")
                    : new Table("TYPE", "TOTAL", "ACTIVE", "SIZE", "RECLAIMABLE");
            for (JsonNode row : items(answer.data())) {
                long bytes = row.path("bytes").asLong();
                long reclaimable = row.path("reclaimableBytes").asLong();
                String share = bytes == 0 ? "" : " (" + Math.round(100.0 * reclaimable / bytes) + "%)";
                Object[] cells = {Fields.text(row, "kind"), Fields.number(row, "count"), Fields.number(row, "active"),
                        Humanize.bytes(bytes), Humanize.bytes(reclaimable) + share, bytes};
                table.row(out.wide() ? cells : Arrays.copyOf(cells, 5));
            }
            out.print(table);
            return 0;
        }
    }

    /**
     * {@code actorctl system prune [--until T] [--force]}: without {@code --force} only says what it would remove.
     * Layers go when no build, named image or build cache entry uses them (nor an import in progress); runs only
     * with {@code --until}, those that finished before T, with their unnamed default storages and logs.
     */
    @Command(name = "prune", description = "Remove unused image layers and, with --until, runs finished before a time.",
            footer = {"", "Without --force it only lists what it would remove.", "",
                    "Examples:",
                    "  actorctl system prune                   # what would go",
                    "  actorctl system prune --until 720h -f   # unused layers and runs finished 30+ days ago"})
    static final class Prune extends ApiCommand {
        @Option(names = "--until", paramLabel = "T",
                description = "also remove runs that finished before T: a duration back from now (720h, 30d) or an RFC 3339 time")
        String until;

        @Option(names = {"-f", "--force"}, description = "remove; without it, only show what would be removed")
        boolean force;

        @Override
        protected int execute(DaemonClient api, Output out) {
            Instant cutoff = until == null ? null : Times.parse(until, out.now(), "--until");
            ApiResponse answer = api.post(Query.path(PATH + "/prune").param("until", cutoff).flag("dryRun", !force));
            if (out.json()) {
                out.json(answer.body());
                return 0;
            }
            JsonNode data = answer.data();
            String verb = force ? "removed" : "would remove";
            out.line(verb + " " + summary(data.path("layers"), "unused layer"));
            if (cutoff != null) {
                out.line(verb + " " + summary(data.path("runs"), "run") + " finished before " + cutoff);
            }
            if (!force) {
                out.note("nothing was removed: run again with --force to remove it");
            }
            return 0;
        }

        private static String summary(JsonNode part, String what) {
            long count = part.path("count").asLong();
            return count + " " + what + (count == 1 ? "" : "s") + " (" + Humanize.bytes(part.path("bytes").asLong()) + ")";
        }
    }
}
