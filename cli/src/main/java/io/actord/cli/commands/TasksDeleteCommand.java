package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code actorctl tasks delete TASK}. */
@Command(name = "delete", aliases = "rm", description = "Delete a task (its runs stay).")
final class TasksDeleteCommand extends ApiCommand {
    @Parameters(paramLabel = "TASK", description = "the task: name, user~name, user/name or id")
    String task;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.delete(ApiPaths.task(task));
        if (out.json()) {
            out.jsonIfAny(answer.body());
        } else {
            out.line("deleted task " + task);
        }
        return 0;
    }
}
