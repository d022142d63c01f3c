package io.actord.daemon.api.dto;

/**
 * The body of PUT /v2/actor-runs/{runId} (Apify's run update). actord changes {@code generalAccess};
 * {@code statusMessage} and the rest are accepted as Apify's shape but not kept.
 */
public record RunUpdateDto(String runId, String statusMessage, Boolean isStatusMessageTerminal, String level,
                           String generalAccess) {
}
