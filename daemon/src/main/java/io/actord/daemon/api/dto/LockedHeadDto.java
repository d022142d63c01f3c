package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/**
 * {@code POST /request-queues/{id}/head/lock}. {@code queueHasLockedRequests} is exact — crawlee decides
 * that a queue is finished from it (apify-api.md rule 10).
 */
public record LockedHeadDto(int limit, double lockSecs, Instant queueModifiedAt, boolean hadMultipleClients,
                            boolean queueHasLockedRequests, String clientKey, List<Item> items) {
    public record Item(String id, String uniqueKey, String url, String method, int retryCount, Instant lockExpiresAt) {
    }
}
