package io.actord.daemon.api.dto;

import java.time.Instant;

/**
 * An API token as listed: never the token itself, only its id (to revoke it by) and its first characters.
 * {@code token} is set once, in the answer to creating it.
 */
public record TokenDto(String id, String name, Instant createdAt, String hint, String token) {
}
