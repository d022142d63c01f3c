package io.actord.daemon.api.dto;

import java.util.List;

/** A page of a storage collection ({@code GET /v2/datasets} ...), in Apify's list shape. */
public record StorageListDto<T>(long total, long offset, long limit, long count, boolean desc, List<T> items) {
}
