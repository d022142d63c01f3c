package io.actord.daemon.system;

import io.actord.daemon.access.Access;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.image.LayerStore;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunDeletion;
import io.actord.daemon.state.StateStore;

import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code GET /v2/actord/system/df} and {@code POST /v2/actord/system/prune[?until=TIME][&dryRun=1]}: the admin's only
 * (they count every user's data and delete runs of any user).
 */
public final class SystemRoutes {
    /**
     * What the routes work with, from what the daemon already has.
     *
     * @param activeRuns  the runs the daemon supervises
     * @param buildLayers the DiffIDs of a build's layers (none for a build that is gone)
     */
    public record Parts(StateStore store, LayerStore layers, RunDeletion deletion, Supplier<List<Run>> activeRuns,
                        Function<String, List<String>> buildLayers, Access access, Path logsDir, Path runsDir,
                        Path stateStoreDir) {
    }

    private SystemRoutes() {
    }

    public static void register(Router router, Parts parts) {
        DiskUsage usage = new DiskUsage(parts);
        Pruning pruning = new Pruning(parts, usage);
        router.get("/v2/actord/system/df", r -> {
            parts.access().requireAdmin(r.caller(), "the daemon's disk use is shown");
            return ApiResponse.data(200, usage.df());
        }).post("/v2/actord/system/prune", r -> {
            parts.access().requireAdmin(r.caller(), "a prune is done");
            return ApiResponse.data(200, pruning.prune(r.query("until").map(SystemRoutes::instant),
                    r.queryBool("dryRun")));
        });
    }

    private static Instant instant(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ApiException.invalidValue("parameter 'until' must be an RFC 3339 time such as 2026-12-07T09:00:00Z,"
                    + " got '" + value + "'");
        }
    }
}
