package io.actord.cli.commands;

import io.actord.cli.ActordCli;
import io.actord.cli.Context;
import io.actord.cli.DaemonClient;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.OutputMode;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** A subcommand that talks to the daemon: it gets the client and output the global options select. */
abstract class ApiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        ActordCli root = root();
        Output out = root.output(outputOptions().map(o -> o.mode(root.json())).orElse(OutputMode.of(root.json())));
        return execute(root.client(), out);
    }

    /** The command's {@link OutputOptions}, if it mixes them in (list and get commands do). */
    private Optional<OutputOptions> outputOptions() {
        return spec.mixins().values().stream().map(CommandSpec::userObject).filter(OutputOptions.class::isInstance)
                .map(OutputOptions.class::cast).findFirst();
    }

    /** Does the work; returns the exit status (errors are thrown as CliException). */
    protected abstract int execute(DaemonClient api, Output out);

    protected Context context() {
        return root().context();
    }

    /** The items of Apify's list envelope {@code {total, offset, limit, count, items}}. */
    static List<JsonNode> items(JsonNode page) {
        List<JsonNode> items = new ArrayList<>();
        page.path("items").forEach(items::add);
        return items;
    }

    /** Says on stderr that a list was cut, so piped stdout holds only rows. */
    static void notePaging(Output out, JsonNode page, String what) {
        long total = page.path("total").asLong(0);
        long offset = page.path("offset").asLong(0);
        long count = page.path("count").asLong(page.path("items").size());
        if (count == 0 && total == 0) {
            out.note("no " + what);
        } else if (offset + count < total || offset > 0) {
            out.note("showing " + (count == 0 ? 0 : offset + 1) + "-" + (offset + count) + " of " + total + " " + what
                    + " (see --limit and --offset)");
        }
    }

    private ActordCli root() {
        return (ActordCli) spec.root().userObject();
    }
}
