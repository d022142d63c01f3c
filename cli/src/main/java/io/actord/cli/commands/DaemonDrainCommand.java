package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.Query;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code actorctl daemon drain}: {@code POST /v2/actord/daemon/drain} (admin socket only), for a host of a cluster
 * that is to be taken down: it claims no new runs, tells its runs' actors they migrate, gives them time to persist
 * their state, and moves them to the other hosts. Answers once the runs have moved.
 */
@Command(name = "drain", description = "Move this host's runs to the other hosts of its cluster (the actors get the"
        + " migrating and persistState events first, and time to persist their state); the host claims no new runs"
        + " until 'actorctl daemon undrain' or the daemon restarts.")
class DaemonDrainCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.postJson(Query.path("/v2/actord/daemon/drain"), Json.object());
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        Table table = new Table("RUN", "WAS", "NOW", "WHERE");
        for (JsonNode run : data.path("items")) {
            table.row(Fields.text(run, "id"), Fields.text(run, "from"), Fields.text(run, "to"),
                    run.path("unplaced").asBoolean() ? "waits for another host" : "ended here");
        }
        out.print(table);
        out.note(Fields.text(data, "hostId") + " is drained: " + Fields.number(data, "total") + " run(s) moved, each"
                + " given up to " + Fields.number(data, "boundSecs") + " s to persist its state");
        return 0;
    }
}
