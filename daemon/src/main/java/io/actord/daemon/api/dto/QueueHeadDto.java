package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;

/** {@code GET /request-queues/{id}/head}: the first unhandled, unlocked requests. */
public record QueueHeadDto(int limit, Instant queueModifiedAt, boolean hadMultipleClients, List<Item> items) {
    public record Item(String id, String uniqueKey, String url, String method, int retryCount) {
    }
}
