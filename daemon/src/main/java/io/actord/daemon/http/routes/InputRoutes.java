package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.input.RunInputSchemas;

import java.util.Map;

/**
 * {@code POST /v2/acts/{actorId}/validate-input?build=TAG_OR_NUMBER} (apify-client's {@code actor.validateInput()}):
 * the body checked against the input schema of the build (default: the actor's default build) as a start would
 * check it. Valid input answers 200 {@code {"valid": true}} (not wrapped in {@code data}, as the client reads
 * it); invalid input answers 400 invalid-input naming each bad field.
 */
public final class InputRoutes {
    private final ActorService actors;
    private final ApiResources resources;

    public InputRoutes(ActorService actors, ApiResources resources) {
        this.actors = actors;
        this.resources = resources;
    }

    public void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            router.post(p + "/{actorId}/validate-input", this::validate);
        }
    }

    private ApiResponse validate(ApiRequest r) {
        Actor actor = resources.actor(r, r.pathParam("actorId"), Need.READ);
        Build build = actors.resolveBuild(actor, r.query("build").orElse(actor.defaultRunOptions().build()));
        RunInputSchemas.validate(build, r.body(), r.contentType());
        return ApiResponse.json(200, Map.of("valid", true));
    }
}
