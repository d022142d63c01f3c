package io.actord.daemon.api.dto;

import java.time.Instant;

/** What a build tag points at. */
public record TaggedBuildDto(String buildId, String buildNumber, Instant finishedAt) {
}
