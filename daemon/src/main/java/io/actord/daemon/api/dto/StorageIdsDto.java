package io.actord.daemon.api.dto;

import java.util.Map;

/** A run's storages by alias, as in ACTOR_STORAGES_JSON: {@code {"datasets": {"default": id}, ...}}. */
public record StorageIdsDto(Map<String, String> datasets, Map<String, String> keyValueStores,
                            Map<String, String> requestQueues) {
}
