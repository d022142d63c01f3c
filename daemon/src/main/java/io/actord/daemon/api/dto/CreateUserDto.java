package io.actord.daemon.api.dto;

/** The body of POST /v2/actord/users, and of PUT /v2/actord/users/{user} (where only the limit changes). */
public record CreateUserDto(String username, Integer memoryLimitMbytes) {
}
