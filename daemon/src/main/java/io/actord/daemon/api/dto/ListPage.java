package io.actord.daemon.api.dto;

import java.util.List;

/** Apify's list envelope: {@code {total, offset, limit, count, desc, items}}. */
public record ListPage<T>(long total, long offset, long limit, long count, boolean desc, List<T> items) {
    public static <T> ListPage<T> of(long total, long offset, long limit, boolean desc, List<T> items) {
        return new ListPage<>(total, offset, limit, items.size(), desc, List.copyOf(items));
    }
}
