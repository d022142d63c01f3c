package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.api.dto.RunSamplesDto;
import io.actord.daemon.api.dto.RunSizeDto;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.RunService;
import io.actord.daemon.runoptions.RunSize;

import java.util.List;
import java.util.Map;

/**
 * Resources of runs, in actord's own namespace (the console uses both; Apify has neither):
 * {@code GET /v2/actord/run-sizes}, the memory sizes a run may have with their CPU share and disk, from
 * {@link RunSize} so no client repeats the rule; {@code GET /v2/actord/runs/{runId}/samples},
 * the run's CPU and memory over time ({@link io.actord.daemon.run.RunSamples}), for whoever may read the run.
 */
public final class RunResourceRoutes {

    private final RunService runs;
    private final ApiResources resources;

    public RunResourceRoutes(RunService runs, ApiResources resources) {
        this.runs = runs;
        this.resources = resources;
    }

    public void register(Router router) {
        List<RunSizeDto> sizes = sizes();
        router.get("/v2/actord/run-sizes", r -> ApiResponse.data(200, Map.of("items", sizes)))
                .get("/v2/actord/runs/{runId}/samples", r -> {
                    String runId = resources.run(r, r.pathParam("runId"), Need.READ).id();
                    return ApiResponse.data(200, new RunSamplesDto(runId, runs.samples().of(runId).stream()
                            .map(s -> new RunSamplesDto.Point(s.createdAt(), s.cpuCurrentUsage(), s.memCurrentBytes()))
                            .toList()));
                });
    }

    static List<RunSizeDto> sizes() {
        return RunSize.all().stream()
                .map(s -> new RunSizeDto(s.memoryMbytes(), s.cpuCores(), s.diskMbytes())).toList();
    }
}
