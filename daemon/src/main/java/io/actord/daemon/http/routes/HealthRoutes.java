package io.actord.daemon.http.routes;

import io.actord.daemon.api.dto.HealthDto;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.RunService;

/**
 * {@code GET /healthz}: the daemon serves, with its version; for the admin also the runtime in use and how many
 * runs it supervises.
 */
public final class HealthRoutes {
    private final String version;
    private final String runtime;
    private final RunService runs;

    public HealthRoutes(String version, String runtime, RunService runs) {
        this.version = version;
        this.runtime = runtime;
        this.runs = runs;
    }

    public void register(Router router) {
        router.get("/healthz", r -> ApiResponse.data(200, r.caller().isAdmin()
                ? HealthDto.forAdmin(version, runtime, runs.activeCount()) : HealthDto.forAnyone(version)));
    }
}
