package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.Map;

/** Apify's Actor object, the fields actord has. */
public record ActorDto(String id, String userId, String name, String username, String title, String description,
                       boolean isPublic, Instant createdAt, Instant modifiedAt, DefaultRunOptionsDto defaultRunOptions,
                       Map<String, TaggedBuildDto> taggedBuilds) {
}
