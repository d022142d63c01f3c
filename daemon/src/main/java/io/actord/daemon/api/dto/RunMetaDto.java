package io.actord.daemon.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How the run was started: origin is one of Apify's META_ORIGINS (API, SCHEDULER, ...); scheduleId, only for a
 * run a schedule started, as the platform shows it.
 */
public record RunMetaDto(String origin, @JsonInclude(JsonInclude.Include.NON_NULL) String scheduleId) {
}
