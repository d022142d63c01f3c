package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.Map;

/** GET /v2/users/me: Apify's private user object, with the fields actord has. */
public record MeDto(String id, String username, Map<String, Object> profile, Instant createdAt, boolean isPaying) {
}
