package io.actord.daemon.api.dto;

/** The body of PUT /v2/actord/actor-runs/{runId}/sharing/users/{user}: {@code {"access": "READ"|"WRITE"}}. */
public record GrantDto(String access) {
}
