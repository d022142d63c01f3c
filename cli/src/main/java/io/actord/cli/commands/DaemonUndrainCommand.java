package io.actord.cli.commands;

import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Query;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code actorctl daemon undrain}: {@code DELETE /v2/actord/daemon/drain} (admin socket only): a drained host of a
 * cluster claims runs again, without a restart (the maintenance is over, or the drain was a mistake).
 */
@Command(name = "undrain", description = "End this host's drain: it claims runs of its cluster again.")
class DaemonUndrainCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(Query.path("/v2/actord/daemon/drain"));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        boolean claiming = answer.data().path("claiming").asBoolean();
        out.note(Fields.text(answer.data(), "hostId") + " is no longer drained: " + (claiming ? "it claims runs again"
                : "it claims runs once it is back in its cluster"));
        return 0;
    }
}
