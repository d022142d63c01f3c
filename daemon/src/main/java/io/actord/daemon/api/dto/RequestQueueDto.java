package io.actord.daemon.api.dto;

import java.time.Instant;

/** Apify's RequestQueue object: {@code Actor.openRequestQueue()} reads the two counts. */
public record RequestQueueDto(String id, String name, String userId, String username, Instant createdAt,
                              Instant modifiedAt, Instant accessedAt, long totalRequestCount,
                              long handledRequestCount, long pendingRequestCount, boolean hadMultipleClients,
                              String actId, String actRunId, String generalAccess) {
}
