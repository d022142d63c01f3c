package io.actord.daemon.api.dto;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Apify's {@code actorStandby} of the Actor object. In requests absent (or null) fields keep their values (on
 * create: the defaults); responses carry every field, {@code tenancy} and {@code isConsoleAuthEnabled} as last
 * sent (null if never).
 */
public record ActorStandbyDto(@JsonProperty("isEnabled") Boolean isEnabled, Integer desiredRequestsPerActorRun,
                              Integer maxRequestsPerActorRun, Integer idleTimeoutSecs, String build,
                              Integer memoryMbytes, Boolean disableStandbyFieldsOverride, Boolean shouldPassActorInput,
                              String tenancy, @JsonProperty("isConsoleAuthEnabled") Boolean isConsoleAuthEnabled) {
}
