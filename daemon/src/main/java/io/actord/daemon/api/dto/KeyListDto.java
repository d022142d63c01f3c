package io.actord.daemon.api.dto;

import java.util.List;

/**
 * A page of record keys. {@code nextExclusiveStartKey} is null on the last page: apify-client keeps asking
 * for the next page until it is, so it must be present as null, never left out.
 */
public record KeyListDto(List<Key> items, int count, int limit, String exclusiveStartKey, boolean isTruncated,
                         String nextExclusiveStartKey) {
    public record Key(String key, long size) {
    }
}
