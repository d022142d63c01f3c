package io.actord.daemon.api.dto;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;

/**
 * GET /readyz: {@code ready}, or {@code unavailable} with what is (the container runtime, the state store); the
 * reasons name host paths, so only the admin (the Unix socket) gets them.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReadinessDto(String status, List<String> problems) {
    public static final ReadinessDto READY = new ReadinessDto("ready", null);

    public static ReadinessDto unavailable(List<String> problems) {
        return new ReadinessDto("unavailable", problems);
    }
}
