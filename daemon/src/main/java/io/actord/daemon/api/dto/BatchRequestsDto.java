package io.actord.daemon.api.dto;

import java.util.List;

/**
 * The answer to a batch add or delete. Every processed request echoes its {@code uniqueKey}: apify-client
 * re-sends the requests whose uniqueKey it does not find here (apify-api.md rule 9).
 */
public record BatchRequestsDto(List<Processed> processedRequests, List<Unprocessed> unprocessedRequests) {
    public record Processed(String requestId, String uniqueKey, boolean wasAlreadyPresent, boolean wasAlreadyHandled) {
    }

    public record Unprocessed(String uniqueKey, String url, String method) {
    }
}
