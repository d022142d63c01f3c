package io.actord.cli.commands;

import io.actord.cli.ApiPaths;
import io.actord.cli.CliException;
import io.actord.cli.DaemonClient;
import io.actord.cli.Payload;
import io.actord.cli.Query;
import io.actord.cli.http.HttpResponse;
import io.actord.cli.output.CsvRows;
import io.actord.cli.output.Output;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code actorctl dataset export DATASET [--format jsonl|csv] [--file F]}: every item, read a page at a time
 * ({@code format=jsonl}) and written as it arrives, so a dataset of any size passes through in bounded memory.
 * JSON Lines are copied as the daemon sends them. CSV needs its columns before its first row, and a later page may
 * bring a field no earlier one had, so CSV reads the items twice: once for the columns, once for the rows (unless
 * {@code --fields} names them); the items counted in the first pass are the ones exported.
 */
@Command(name = "export", description = "Write all of a dataset's items as JSON Lines or CSV, page by page.")
final class DatasetExportCommand extends ApiCommand {
    /** The export formats. */
    enum Format { jsonl, csv }

    @Parameters(paramLabel = "DATASET", description = "the dataset: id or name")
    String dataset;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "jsonl",
            description = "jsonl (default) or csv")
    Format format;

    @Option(names = "--file", paramLabel = "FILE", description = "write to FILE instead of stdout")
    Path file;

    @Option(names = "--fields", paramLabel = "F,...", description = "only these fields, in this order (CSV: the columns)")
    String fields;

    @Option(names = "--clean", description = "skip empty items and fields whose name starts with #")
    boolean clean;

    @Option(names = "--page", paramLabel = "N", defaultValue = "1000", description = "items per request (default ${DEFAULT-VALUE})")
    int page;

    @Override
    protected int execute(DaemonClient api, Output out) {
        if (page < 1) {
            throw new CliException("--page must be 1 or more, got " + page);
        }
        try {
            if (file == null) {
                export(api, out.out());
            } else {
                try (OutputStream sink = Files.newOutputStream(file)) {
                    long items = export(api, sink);
                    out.note("exported " + items + (items == 1 ? " item" : " items") + " to " + file);
                }
            }
        } catch (IOException e) {
            throw new CliException("write " + (file == null ? "stdout" : file.toString()) + ": " + e.getMessage(), e);
        }
        return 0;
    }

    private long export(DaemonClient api, OutputStream sink) throws IOException {
        return format == Format.jsonl ? jsonl(api, sink) : csv(api, sink);
    }

    private long jsonl(DaemonClient api, OutputStream sink) throws IOException {
        return pages(api, Long.MAX_VALUE, response -> {
            response.body().transferTo(sink);
            sink.flush();
        });
    }

    private long csv(DaemonClient api, OutputStream sink) throws IOException {
        Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
        long total = Long.MAX_VALUE;
        List<String> columns;
        if (fields != null) {
            columns = Arrays.stream(fields.split(",")).map(String::trim).filter(f -> !f.isEmpty()).toList();
        } else {
            Set<String> seen = new LinkedHashSet<>();
            total = pages(api, total, response -> lines(response, line -> seen.addAll(
                    CsvRows.flatten(Payload.json(line.getBytes(StandardCharsets.UTF_8), "an item")).keySet())));
            columns = new ArrayList<>(seen);
        }
        CsvRows.line(writer, columns);
        long written = pages(api, total, response -> {
            lines(response, line -> CsvRows.row(writer, columns,
                    CsvRows.flatten(Payload.json(line.getBytes(StandardCharsets.UTF_8), "an item"))));
            writer.flush();
        });
        writer.flush();
        return written;
    }

    private interface PageSink {
        void accept(HttpResponse response) throws IOException;
    }

    private interface LineSink {
        void accept(String line) throws IOException;
    }

    /** Reads the items up to {@code upTo} (at most the dataset's total) a page at a time; returns how many there were. */
    private long pages(DaemonClient api, long upTo, PageSink sink) throws IOException {
        long offset = 0;
        long total = upTo;
        while (offset < total) {
            long limit = Math.min(page, total - offset);
            Query target = ApiPaths.dataset(dataset).literal("/items").param("format", "jsonl").param("offset", offset)
                    .param("limit", limit).flag("clean", clean).param("fields", fields);
            try (HttpResponse response = api.open(target)) {
                total = Math.min(upTo, header(response, "x-apify-pagination-total"));
                sink.accept(response);
            }
            offset += limit;
        }
        return total == Long.MAX_VALUE ? 0 : total;
    }

    private static void lines(HttpResponse response, LineSink sink) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        String line;
        while ((line = reader.readLine()) != null) {
            if (!line.isBlank()) {
                sink.accept(line);
            }
        }
    }

    private static long header(HttpResponse response, String name) {
        try {
            return Long.parseLong(response.header(name).orElseThrow().trim());
        } catch (RuntimeException e) {
            throw new CliException("the daemon's answer has no usable " + name + " header");
        }
    }
}
