package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiRequest;

/**
 * The offset/limit/desc parameters of Apify's list endpoints. {@code limit=0} means no limit was given (up to
 * {@value #MAX_LIMIT} items), as on the platform and in actord's storage lists.
 */
record PageParams(long offset, long limit, boolean desc) {
    static final long MAX_LIMIT = 1000;

    static PageParams of(ApiRequest request) {
        long offset = request.queryLong("offset").orElse(0L);
        long limit = request.queryLong("limit").filter(l -> l != 0).orElse(MAX_LIMIT);
        if (offset < 0) {
            throw ApiException.invalidValue("offset must be 0 or more, got " + offset);
        }
        if (limit < 0) {
            throw ApiException.invalidValue("limit must be 0 or more, got " + limit);
        }
        return new PageParams(offset, Math.min(limit, MAX_LIMIT), request.queryBool("desc"));
    }
}
