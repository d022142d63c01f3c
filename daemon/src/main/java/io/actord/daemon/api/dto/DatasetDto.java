package io.actord.daemon.api.dto;

import java.time.Instant;

/** Apify's Dataset object. */
public record DatasetDto(String id, String name, String userId, String username, Instant createdAt,
                         Instant modifiedAt, Instant accessedAt, long itemCount, long cleanItemCount, String actId,
                         String actRunId, String generalAccess) {
}
