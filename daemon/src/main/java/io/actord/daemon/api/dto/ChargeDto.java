package io.actord.daemon.api.dto;

/** The body of Apify's run charge ({@code POST /v2/actor-runs/{id}/charge}); {@code count} defaults to 1. */
public record ChargeDto(String eventName, Long count) {
}
