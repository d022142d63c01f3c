package io.actord.daemon.api.dto;

import java.time.Instant;

/** The answer to prolonging a request lock. */
public record RequestLockDto(Instant lockExpiresAt) {
}
