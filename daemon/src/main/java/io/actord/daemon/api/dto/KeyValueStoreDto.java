package io.actord.daemon.api.dto;

import java.time.Instant;

/**
 * Apify's KeyValueStore object. {@code urlSigningSecretKey} is left out on purpose: when present, clients
 * sign public URLs with it, and actord does not check signatures.
 */
public record KeyValueStoreDto(String id, String name, String userId, String username, Instant createdAt,
                               Instant modifiedAt, Instant accessedAt, String actId, String actRunId,
                               String generalAccess) {
}
