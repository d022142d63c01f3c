package io.actord.daemon.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * Apify's Task object ({@code /v2/actor-tasks}): {@code removedAt} and {@code actorStandby} are always null here
 * (a deleted task is gone; tasks have no standby mode).
 */
public record TaskDto(String id, String userId, String actId, String name, String username, String title,
                      String description, Instant createdAt, Instant modifiedAt, Instant removedAt, Stats stats,
                      Options options, JsonNode input, Object actorStandby) {
    /** @param totalRuns the runs started from the task that are still kept */
    public record Stats(long totalRuns) {
    }

    /** The run options the task sets (unset ones are left out: the actor's defaults apply). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Options(String build, Integer timeoutSecs, Integer memoryMbytes, Boolean restartOnError) {
    }
}
