package io.actord.daemon.api.dto;

/** How many locks {@code POST /request-queues/{id}/requests/unlock} released. */
public record UnlockedDto(int unlockedCount) {
}
