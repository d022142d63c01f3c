package io.actord.daemon.http.routes;

import io.actord.daemon.http.Router;

/**
 * The platform's resource collections, declared to the {@link Router} so that an id under any of them answers 404
 * record-not-found even where actord serves no route for it (yet): apify-client's {@code get()} of every kind then
 * returns {@code undefined} for an unknown id, as it does against the platform. The kinds are those apify-client
 * 2.25.0 addresses by id; routes registered for them take precedence.
 */
public final class ResourceCollections {
    private ResourceCollections() {
    }

    public static void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            router.collection(p, "Actor")
                    .collection(p + "/{actorId}/versions", "Actor version")
                    .collection(p + "/{actorId}/versions/{versionNumber}/env-vars", "Environment variable");
        }
        router.collection("/v2/actor-builds", "Actor build")
                .collection("/v2/actor-runs", "Actor run")
                .collection("/v2/actor-tasks", "Actor task")
                .collection("/v2/schedules", "Schedule")
                .collection("/v2/webhooks", "Webhook")
                .collection("/v2/webhook-dispatches", "Webhook dispatch")
                .collection("/v2/datasets", "Dataset")
                .collection("/v2/key-value-stores", "Key-value store")
                .collection("/v2/request-queues", "Request queue")
                .collection("/v2/users", "User")
                .collection("/v2/logs", "Log");
    }
}
