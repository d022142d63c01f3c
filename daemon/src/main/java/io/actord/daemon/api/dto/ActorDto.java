package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Apify's Actor object, the fields actord has. {@code versions} are the actor's versions as the versions API
 * shows them (secret values hidden). {@code actorStandby} is null until standby options are set;
 * {@code standbyUrl} (actord's) is the actor's standby URL while standby is enabled, else null.
 */
public record ActorDto(String id, String userId, String name, String username, String title, String description,
                       boolean isPublic, Instant createdAt, Instant modifiedAt, DefaultRunOptionsDto defaultRunOptions,
                       Map<String, TaggedBuildDto> taggedBuilds, Stats stats, List<?> versions,
                       ActorStandbyDto actorStandby, String standbyUrl) {
    /** The Actor's {@code stats}: its kept runs and builds, and when its last run started (null: never). */
    public record Stats(long totalBuilds, long totalRuns, Instant lastRunStartedAt) {
    }
}
