package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * A run's CPU and memory over time (GET /v2/actord/runs/{runId}/samples, actord's namespace), oldest
 * first. CPU in % of one core, memory in bytes, as in the run's stats.
 */
public record RunSamplesDto(String runId, List<Point> items) {
    public record Point(Instant createdAt, double cpuCurrentUsage, long memCurrentBytes) {
    }
}
