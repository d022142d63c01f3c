package io.actord.cli.view;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.output.Output;
import io.actord.cli.output.Style;
import io.actord.cli.output.Styled;
import io.actord.cli.output.Table;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Runs as a table (lists) and as details ({@code runs get}, {@code run --wait}). */
public final class RunView {
    private RunView() {
    }

    /**
     * Newest first as the daemon sent them; {@code actorNames} maps actor ids to names where known. {@code -o wide}
     * adds the origin, the exit code and the default dataset and key-value store.
     */
    public static Table table(List<JsonNode> runs, Map<String, String> actorNames, Output out) {
        Table table = out.wide()
                ? new Table("ID", "ACTOR", "STATUS", "BUILD", "STARTED", "DURATION", "MEMORY", "ORIGIN", "EXIT",
                        "DATASET", "KEY-VALUE STORE")
                : new Table("ID", "ACTOR", "STATUS", "BUILD", "STARTED", "DURATION", "MEMORY");
        for (JsonNode r : runs) {
            String actId = Fields.text(r, "actId");
            Object[] cells = {Fields.text(r, "id"), actorNames.getOrDefault(actId, actId), status(r),
                    Fields.text(r, "buildNumber"), Humanize.ago(Fields.instant(r, "startedAt"), out.now()),
                    duration(r, out.now()), memory(r.path("options")), Fields.text(r.path("meta"), "origin"),
                    Fields.number(r, "exitCode"), Fields.text(r, "defaultDatasetId"),
                    Fields.text(r, "defaultKeyValueStoreId")};
            table.row(out.wide() ? cells : Arrays.copyOf(cells, 7));
        }
        return table;
    }

    public static Details details(JsonNode r, String actorName, Output out) {
        Instant now = out.now();
        JsonNode options = r.path("options");
        JsonNode stats = r.path("stats");
        Details d = new Details()
                .add("ID", Fields.text(r, "id"))
                .add("Actor", actorName == null ? Fields.text(r, "actId") : actorName + " (" + Fields.text(r, "actId") + ")")
                .add("Status", status(r));
        String message = Fields.text(r, "statusMessage");
        if (message != null) {
            d.add("Message", message);
        }
        d.add("Build", Fields.text(r, "buildNumber") + " (" + Fields.text(r, "buildId") + ")")
                .add("Origin", Fields.text(r.path("meta"), "origin"))
                .add("Started", when(Fields.instant(r, "startedAt"), out))
                .add("Finished", when(Fields.instant(r, "finishedAt"), out))
                .add("Duration", duration(r, now));
        Long exit = Fields.number(r, "exitCode");
        if (exit != null) {
            d.add("Exit code", exit);
        }
        Long timeout = Fields.number(options, "timeoutSecs");
        d.add("Memory", memory(options) + usage(stats))
                .add("Timeout", timeout == null ? null : timeout == 0 ? "none" : timeout + " s")
                .add("CPU", cpu(stats))
                .add("Key-value store", Fields.text(r, "defaultKeyValueStoreId"))
                .add("Dataset", Fields.text(r, "defaultDatasetId"))
                .add("Request queue", Fields.text(r, "defaultRequestQueueId"))
                .add("Container URL", Fields.text(r, "containerUrl"));
        Long resurrections = Fields.number(stats, "resurrectCount");
        if (resurrections != null && resurrections > 0) {
            d.add("Resurrected", resurrections + (resurrections == 1 ? " time" : " times"));
        }
        return d;
    }

    public static Styled status(JsonNode run) {
        String status = Fields.text(run, "status");
        return Style.status(status == null ? "?" : status);
    }

    /** From the daemon's stats while they are known, else from the start time to now. */
    static String duration(JsonNode r, Instant now) {
        Long millis = Fields.number(r.path("stats"), "durationMillis");
        if (millis != null && (millis > 0 || Fields.instant(r, "finishedAt") != null)) {
            return Humanize.duration(millis);
        }
        Instant started = Fields.instant(r, "startedAt");
        return started == null ? null : Humanize.duration(Math.max(0, now.toEpochMilli() - started.toEpochMilli()));
    }

    static String memory(JsonNode options) {
        Long mb = Fields.number(options, "memoryMbytes");
        return mb == null ? null : mb + " MB";
    }

    private static String usage(JsonNode stats) {
        Long max = Fields.number(stats, "memMaxBytes");
        return max == null || max == 0 ? "" : " (max used " + Humanize.bytes(max) + ")";
    }

    private static String cpu(JsonNode stats) {
        JsonNode avg = stats.get("cpuAvgUsage");
        JsonNode max = stats.get("cpuMaxUsage");
        if (avg == null || !avg.isNumber()) {
            return null;
        }
        return String.format(Locale.ROOT, "avg %.1f%%, max %.1f%% of a core", avg.asDouble(),
                max == null ? 0 : max.asDouble());
    }

    static String when(Instant t, Output out) {
        return t == null ? null : Humanize.timestamp(t, out.zone()) + " (" + Humanize.ago(t, out.now()) + ")";
    }
}
