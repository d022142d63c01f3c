package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl schedules delete ID}. */
@Command(name = "delete", aliases = "rm", description = "Delete a schedule and its log (runs it started stay).")
final class SchedulesDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "ID", description = "the schedule's id")
    String schedule;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.schedule(schedule));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted schedule " + schedule);
        }
        return 0;
    }
}
