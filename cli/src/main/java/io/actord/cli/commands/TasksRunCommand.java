package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.InputOptions;
import io.actord.cli.options.RunOptions;
import io.actord.cli.output.Output;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code actorctl tasks run TASK [--build B] [--memory MB] [--timeout S] [--input JSON|@FILE|-] [--wait|--detach]}:
 * as {@code run}, for a task; a JSON object input is laid over the task's, property by property.
 */
@Command(name = "run", description = "Start a run of a task (options and input given here beat the task's).",
        footer = {"", "With --wait the exit status follows the run: 0 SUCCEEDED, the run's exit code",
                "(or 1) FAILED, 124 TIMED-OUT, 130 ABORTED."})
final class TasksRunCommand extends ApiCommand {
    @Parameters(paramLabel = "TASK", description = "the task: name, user~name, user/name or id")
    String task;

    @Mixin
    RunOptions run;

    @Mixin
    InputOptions input;

    @ArgGroup(exclusive = true)
    RunCommand.Mode mode = new RunCommand.Mode();

    @Override
    protected int execute(DaemonClient api, Output out) {
        return RunCommand.show(api, out, RunStart.start(api, context(), ApiPaths.task(task).literal("/runs"), run,
                input), task, mode);
    }
}
