package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.PageOptions;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.TaskView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code actorctl tasks list}. */
@Command(name = "list", aliases = "ls", description = "List tasks by name.")
final class TasksListCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Mixin
    PageOptions page;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.tasks().param("limit", page.limit).param("offset", page.offset));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode data = answer.data();
        out.print(TaskView.table(items(data), out));
        notePaging(out, data, "tasks");
        return 0;
    }
}
