package io.actord.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.cli.ApiError;
import io.actord.cli.ApiPaths;
import io.actord.cli.ApiResponse;
import io.actord.cli.DaemonClient;
import io.actord.cli.Query;
import io.actord.cli.output.Details;
import io.actord.cli.output.Humanize;
import io.actord.cli.options.OutputOptions;
import io.actord.cli.output.Output;
import io.actord.cli.view.Fields;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code actorctl daemon status}: {@code GET /v2/actord/status}, actord's own endpoint (not Apify's). */
@Command(name = "status", description = "Show the daemon's version, runtime, cgroup mode, capacity and running runs.")
class DaemonStatusCommand extends ApiCommand {
    @Mixin
    OutputOptions format;

    @Override
    protected int execute(DaemonClient api, Output out) {
        ApiResponse answer;
        try {
            answer = api.get(ApiPaths.daemonStatus());
        } catch (ApiError e) {
            if (!e.isNotFound()) {
                throw e;
            }
            return health(api, out);
        }
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode s = answer.data();
        JsonNode capacity = s.path("capacity");
        JsonNode runs = s.path("runs");
        Long reserved = Fields.number(runs, "memoryMbytes");
        Long used = Fields.number(runs, "memCurrentBytes");
        Long hostMemory = Fields.number(capacity, "memoryMbytes");
        out.print(new Details()
                .add("Version", Fields.text(s, "version"))
                .add("Runtime", Fields.text(s, "runtime"))
                .add("Cgroup mode", Fields.text(s, "cgroupMode"))
                .add("Started", Humanize.ago(Fields.instant(s, "startedAt"), out.now()))
                .add("Capacity", (hostMemory == null ? "?" : hostMemory + " MB") + " memory, "
                        + Fields.number(capacity, "cpus") + " CPUs")
                .add("Run capacity", runCapacity(capacity, runs))
                .add("Running runs", Fields.number(runs, "active"))
                .add("Memory in use", (reserved == null ? "?" : reserved + " MB reserved")
                        + (used == null ? "" : ", " + Humanize.bytes(used) + " used")));
        return 0;
    }

    /** The memory runs may hold together, what they hold and how many wait; null from a daemon without it. */
    private static String runCapacity(JsonNode capacity, JsonNode runs) {
        Long total = Fields.number(capacity, "runMemoryMbytes");
        if (total == null) {
            return null;
        }
        Long waiting = Fields.number(runs, "waiting");
        return total + " MB, " + Fields.number(runs, "heldMbytes") + " MB held"
                + (waiting == null || waiting == 0 ? "" : ", " + waiting + " runs waiting");
    }

    /** A daemon from before /v2/actord/status: what /healthz says. */
    private static int health(DaemonClient api, Output out) {
        ApiResponse answer = api.get(Query.path("/healthz"));
        if (out.json()) {
            out.json(answer.body());
            return 0;
        }
        JsonNode h = answer.data();
        out.print(new Details()
                .add("Version", Fields.text(h, "version"))
                .add("Runtime", Fields.text(h, "runtime"))
                .add("Running runs", Fields.number(h, "activeRuns")));
        out.note("this daemon has no /v2/actord/status, so cgroup mode, capacity and memory are unknown");
        return 0;
    }
}
