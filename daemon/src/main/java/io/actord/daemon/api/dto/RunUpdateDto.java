package io.actord.daemon.api.dto;

/** The body of PUT /v2/actor-runs/{runId} (Apify's run update); {@code level} is accepted and not kept. */
public record RunUpdateDto(String runId, String statusMessage, Boolean isStatusMessageTerminal, String level,
                           String generalAccess) {
}
