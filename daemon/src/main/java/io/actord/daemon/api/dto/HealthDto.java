package io.actord.daemon.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * GET /healthz: the daemon is serving. Anyone may ask (no token), so only the admin (the Unix socket) also learns
 * the runtime (which names host paths) and how many runs the daemon supervises; the fields are absent otherwise.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record HealthDto(String status, String version, String runtime, Integer activeRuns) {
    public static HealthDto forAnyone(String version) {
        return new HealthDto("ok", version, null, null);
    }

    public static HealthDto forAdmin(String version, String runtime, int activeRuns) {
        return new HealthDto("ok", version, runtime, activeRuns);
    }
}
