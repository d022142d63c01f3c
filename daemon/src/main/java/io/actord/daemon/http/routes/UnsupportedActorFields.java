package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;

/**
 * Fields of the platform's actor create and update that would change what the actor does and that actord does not
 * keep: refused with 400 not-implemented naming the field (before anything is created or changed), rather than
 * dropped in silence. Fields that only describe the actor (SEO texts, categories, example input, deprecation) are
 * accepted and not kept; a field set to the platform's default (not public, no pricing) passes.
 */
final class UnsupportedActorFields {
    private UnsupportedActorFields() {
    }

    static void reject(ApiRequest r) {
        JsonNode body = StorageRequests.json(r);
        if (body.path("isPublic").asBoolean(false)) {
            refuse("isPublic", "actors are their owner's alone here; share a run instead (generalAccess)");
        }
        if (nonEmpty(body.get("pricingInfos"))) {
            refuse("pricingInfos", "actord charges nothing");
        }
        if (nonEmpty(body.get("versions"))) {
            refuse("versions", "create the actor first, then each version with POST /v2/acts/{actorId}/versions");
        }
        if (nonEmpty(body.get("taggedBuilds"))) {
            refuse("taggedBuilds", "a build gets its tag when it is built (the version's buildTag, or ?tag=)");
        }
    }

    private static boolean nonEmpty(JsonNode value) {
        return value != null && !value.isNull() && !(value.isContainerNode() && value.isEmpty());
    }

    private static void refuse(String field, String why) {
        throw new ApiException(ErrorType.NOT_IMPLEMENTED, "actor field '" + field + "' is not supported by actord: "
                + why);
    }
}
