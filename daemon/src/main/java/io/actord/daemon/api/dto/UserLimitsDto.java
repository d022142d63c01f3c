package io.actord.daemon.api.dto;

/** GET /v2/users/me/limits: Apify's shape, with the limit actord enforces (memory) and its use. */
public record UserLimitsDto(Limits limits, Current current) {
    public record Limits(double maxActorMemoryGbytes) {
    }

    public record Current(double actorMemoryGbytes, long activeActorJobCount) {
    }
}
