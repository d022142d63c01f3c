package io.actord.daemon.api.dto;

import java.time.Instant;

/** One entry of a run's {@code metamorphs}: when, into which actor and build, and the new input's record key. */
public record RunMetamorphDto(Instant createdAt, String actorId, String buildId, String inputKey) {
}
