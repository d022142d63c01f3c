package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.TaskView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code actorctl tasks get TASK}. */
@Command(name = "get", description = "Show a task: its actor, run options, input and how many runs it has.")
final class TasksGetCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "TASK", description = "the task: name, user~name, user/name or id")
    String task;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.task(task));
        if (out.json()) {
            out.json(answer.body());
        } else {
            out.print(TaskView.details(answer.data(), out));
        }
        return 0;
    }
}
