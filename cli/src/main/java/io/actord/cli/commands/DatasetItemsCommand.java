package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Json;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.output.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code actorctl dataset items DATASET [--offset N] [--limit N] [--desc] [--clean] [--fields F,...]}: a
 * table with a column per top-level field (in the order they first appear); {@code --json} prints the
 * daemon's array unchanged.
 */
@Command(name = "items", description = "Print a dataset's items as a table (or, with --json, as the API's array).")
final class DatasetItemsCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Parameters(paramLabel = "DATASET", description = "the dataset: id or name")
    String dataset;

    @Option(names = "--offset", paramLabel = "N", defaultValue = "0", description = "skip the first N items")
    long offset;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "at most N items (default ${DEFAULT-VALUE})")
    long limit;

    @Option(names = "--desc", description = "newest items first")
    boolean desc;

    @Option(names = "--clean", description = "skip empty items and fields whose name starts with #")
    boolean clean;

    @Option(names = "--fields", paramLabel = "F,...", description = "only these fields, in this order")
    String fields;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer = api.get(ApiPaths.dataset(dataset).literal("/items").param("format", "json")
                .param("offset", offset).param("limit", limit).flag("desc", desc).flag("clean", clean)
                .param("fields", fields));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode items = answer.json();
        out.print(table(items));
        answer.header("x-apify-pagination-total").ifPresent(total -> {
            long shown = items.size();
            if (offset > 0 || offset + shown < Long.parseLong(total.trim())) {
                out.note("showing " + (shown == 0 ? 0 : offset + 1) + "-" + (offset + shown) + " of " + total.trim()
                        + " items (see --limit and --offset)");
            }
        });
        return 0;
    }

    static Table table(JsonNode items) {
        Set<String> columns = new LinkedHashSet<>();
        boolean scalars = false;
        for (JsonNode item : items) {
            if (item.isObject()) {
                item.fieldNames().forEachRemaining(columns::add);
            } else {
                scalars = true;
            }
        }
        List<String> headers = new ArrayList<>(columns);
        if (scalars || headers.isEmpty()) {
            headers.add("VALUE");
        }
        Table table = new Table(headers.stream().map(h -> h.toUpperCase(Locale.ROOT)).toArray(String[]::new));
        for (JsonNode item : items) {
            Object[] row = new Object[headers.size()];
            for (int c = 0; c < headers.size(); c++) {
                JsonNode v = item.isObject() ? item.get(headers.get(c)) : (c == headers.size() - 1 ? item : null);
                row[c] = cell(v);
            }
            table.row(row);
        }
        return table;
    }

    private static String cell(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        String text = v.isValueNode() ? v.asText() : Json.compact(v);
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
