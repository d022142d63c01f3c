package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * Apify's Build object, the fields actord has, plus the entrypoint, tags, what it was imported from and
 * its layers (DiffIDs, lowest first).
 */
public record BuildDto(String id, String actId, String userId, Instant startedAt, Instant finishedAt, String status,
                       String buildNumber, List<String> tags, List<String> command, String workDir, String source,
                       List<String> layers, String user) {
}
