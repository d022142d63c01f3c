package io.actord.daemon.api.dto;

/**
 * A run's options; always present, because the SDK reads it at Actor.init() (apify-api.md rule 7).
 * {@code network} is actord's: "egress" or "isolated". {@code maxItems} and {@code maxTotalChargeUsd} are null
 * when the run was not given them.
 */
public record RunOptionsDto(String build, int timeoutSecs, int memoryMbytes, int diskMbytes, String network,
                            Long maxItems, Double maxTotalChargeUsd, boolean restartOnError) {
}
