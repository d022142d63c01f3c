package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/** Apify's Build object, the fields actord has, plus the entrypoint and tags. */
public record BuildDto(String id, String actId, String userId, Instant startedAt, Instant finishedAt, String status,
                       String buildNumber, List<String> tags, List<String> command, String workDir) {
}
