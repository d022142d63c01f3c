package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.Router;

/**
 * Routes of the Apify API that a self-hosted daemon has nothing behind: each answers 400 not-implemented with what
 * is missing and what to use instead, so apify-client fails at once with a reason (it would retry a 5xx for
 * minutes, and a 404 page-not-found says nothing). A route about one resource checks that resource first, so an
 * unknown id is still 404 record-not-found.
 */
public final class PlatformOnlyRoutes {
    private final ApiResources resources;

    public PlatformOnlyRoutes(ApiResources resources) {
        this.resources = resources;
    }

    public void register(Router router) {
        router.get("/v2/store", r -> {
            throw new ApiException(ErrorType.NOT_IMPLEMENTED, "actord has no Apify Store: it runs the actors its"
                    + " users push or import (GET /v2/acts lists yours)");
        }).get("/v2/actor-builds/{buildId}/openapi.json", r -> {
            resources.build(r, r.pathParam("buildId"), Need.READ);
            throw new ApiException(ErrorType.NOT_IMPLEMENTED, "actord does not generate an OpenAPI definition of a"
                    + " build; its run endpoints are Apify's (POST /v2/acts/{actorId}/runs, run-sync,"
                    + " run-sync-get-dataset-items)");
        });
    }
}
