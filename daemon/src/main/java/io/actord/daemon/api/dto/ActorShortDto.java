package io.actord.daemon.api.dto;

import java.time.Instant;

/** An actor in a list. */
public record ActorShortDto(String id, Instant createdAt, Instant modifiedAt, String name, String username,
                            String title) {
}
