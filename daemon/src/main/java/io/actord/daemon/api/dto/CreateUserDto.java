package io.actord.daemon.api.dto;

/**
 * The body of POST /v2/actord/users. PUT /v2/actord/users/{user} reads the limits only, and changes those
 * its body names (null = back to the daemon's default).
 */
public record CreateUserDto(String username, Integer memoryLimitMbytes, Integer storageLimitMbytes) {
}
