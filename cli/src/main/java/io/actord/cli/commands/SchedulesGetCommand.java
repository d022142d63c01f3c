package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.ScheduleView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl schedules get ID}. */
@Command(name = "get", description = "Show a schedule: its cron, time zone, next and last run, and actions.")
final class SchedulesGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "ID", description = "the schedule's id")
    String schedule;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.schedule(schedule));
        if (out.json()) {
            out.json(answer.body());
        } else {
            out.print(ScheduleView.details(answer.data(), out));
        }
        return 0;
    }
}
