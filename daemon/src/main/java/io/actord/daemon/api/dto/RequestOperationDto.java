package io.actord.daemon.api.dto;

/** The answer to adding or updating one request. */
public record RequestOperationDto(String requestId, boolean wasAlreadyPresent, boolean wasAlreadyHandled) {
}
