package io.actord.daemon.api.dto;

/** GET /healthz: the daemon is serving. */
public record HealthDto(String status, String version, String runtime, int activeRuns) {
}
