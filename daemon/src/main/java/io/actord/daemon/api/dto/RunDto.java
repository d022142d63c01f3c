package io.actord.daemon.api.dto;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Apify's Run object (apify-api.md §4). Lists send the same object (a superset of RunShort). {@code pricingInfo}
 * is always null (actord prices no actor).
 */
public record RunDto(String id, String actId, String userId, String actorTaskId, Instant startedAt, Instant finishedAt,
                     String status, String statusMessage, Boolean isStatusMessageTerminal, RunMetaDto meta,
                     RunStatsDto stats, RunOptionsDto options, String buildId, String buildNumber, Integer exitCode,
                     String defaultKeyValueStoreId, String defaultDatasetId, String defaultRequestQueueId,
                     StorageIdsDto storageIds, String containerUrl, Boolean isContainerServerReady,
                     String gitBranchName, String generalAccess, double usageTotalUsd,
                     List<RunMetamorphDto> metamorphs, Map<String, Double> usage, Map<String, Double> usageUsd,
                     Object pricingInfo, Map<String, Long> chargedEventCounts) {
}
