package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.version.ActorVersion;
import io.actord.daemon.version.VersionService;

import java.util.List;
import java.util.Map;

/**
 * An actor's versions and their environment variables, as apify-client's {@code actor(id).version(v)} and
 * {@code .envVars()} call them: {@code /v2/acts/{actorId}/versions[/{versionNumber}[/env-vars[/{envVarName}]]]}.
 * A version holds the actor's source and secrets, so reading one needs write access to the actor.
 */
public final class VersionRoutes {
    private final ApiResources resources;
    private final VersionService versions;

    public VersionRoutes(ApiResources resources, VersionService versions) {
        this.resources = resources;
        this.versions = versions;
    }

    public void register(Router router) {
        for (String prefix : ActorRoutes.PREFIXES) {
            String p = prefix + "/{actorId}/versions";
            String v = p + "/{versionNumber}";
            String e = v + "/env-vars";
            router.get(p, r -> ApiResponse.data(200, listOf(versions.list(actor(r)))))
                    .post(p, this::create)
                    .get(v, r -> ApiResponse.data(200, versions.get(actor(r), version(r))))
                    .put(v, r -> ApiResponse.data(200, versions.update(actor(r), version(r), body(r))))
                    .delete(v, r -> {
                        versions.delete(actor(r), version(r));
                        return ApiResponse.noContent();
                    })
                    .get(e, r -> ApiResponse.data(200, listOf(versions.envVars(actor(r), version(r)))))
                    .post(e, r -> ApiResponse.data(201, versions.createEnvVar(actor(r), version(r), envVar(r))))
                    .get(e + "/{envVarName}", r -> ApiResponse.data(200, versions.envVar(actor(r), version(r),
                            r.pathParam("envVarName"))))
                    .put(e + "/{envVarName}", r -> ApiResponse.data(200, versions.updateEnvVar(actor(r), version(r),
                            r.pathParam("envVarName"), envVar(r))))
                    .delete(e + "/{envVarName}", r -> {
                        versions.deleteEnvVar(actor(r), version(r), r.pathParam("envVarName"));
                        return ApiResponse.noContent();
                    });
        }
    }

    private ApiResponse create(ApiRequest r) {
        String actorId = actor(r);
        ActorVersion created = versions.create(actorId, body(r));
        return ApiResponse.data(201, created).withHeader("Location", "/v2/acts/" + actorId + "/versions/"
                + created.versionNumber());
    }

    /** The actor's id, once the caller may change it. */
    private String actor(ApiRequest r) {
        Actor actor = resources.actor(r, r.pathParam("actorId"), Need.WRITE);
        return actor.id();
    }

    private static String version(ApiRequest r) {
        return r.pathParam("versionNumber");
    }

    private static VersionService.Input body(ApiRequest r) {
        return Bodies.json(r, VersionService.Input.class);
    }

    private static ActorVersion.EnvVar envVar(ApiRequest r) {
        return Bodies.json(r, ActorVersion.EnvVar.class);
    }

    /** Apify's unpaged list (versions, their variables, base images): all of them. */
    static Map<String, Object> listOf(List<?> items) {
        return Map.of("total", items.size(), "items", items);
    }
}
