package io.actord.daemon.http.routes;

import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.CreateBuildDto;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.builds.SourceBuildRequest;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.state.Paging;
import io.netty.handler.codec.http.HttpMethod;

import java.util.concurrent.CompletableFuture;

/**
 * Builds as apify-client's {@code actor.build()}, {@code actor.defaultBuild()} and {@code build(id)} call them:
 * {@code POST /v2/acts/{actorId}/builds?version=X.Y&tag=T&useCache=1&betaPackages=0&memory=M&timeout=S&waitForFinish=S}
 * builds the version's source (any user, on an actor they may change); the same POST with a JSON body naming an
 * {@code image} or {@code rootfs} imports it instead (the admin only, {@link ActorRoutes}).
 * {@code GET /v2/acts/{actorId}/builds/default}, {@code GET|DELETE /v2/actor-builds/{buildId}} (GET with
 * {@code waitForFinish}; only a finished build can be deleted), {@code POST /v2/actor-builds/{buildId}/abort}.
 * The build's log is served by {@link LogRoutes}.
 */
public final class BuildRoutes {
    private final ActorService actors;
    private final BuildService builds;
    private final ApiResources resources;
    private final Views views;
    private final ActorRoutes imports;

    public BuildRoutes(ActorService actors, BuildService builds, ApiResources resources, Views views,
                       ActorRoutes imports) {
        this.actors = actors;
        this.builds = builds;
        this.resources = resources;
        this.views = views;
        this.imports = imports;
    }

    public void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            router.add(HttpMethod.POST, p + "/{actorId}/builds", this::create)
                    .add(HttpMethod.GET, p + "/{actorId}/builds/default", this::defaultBuild)
                    .add(HttpMethod.GET, p + "/{actorId}/builds/{buildId}", this::get)
                    .add(HttpMethod.POST, p + "/{actorId}/builds/{buildId}/abort", this::abort);
        }
        router.get("/v2/actor-builds", this::listUserBuilds)
                .add(HttpMethod.GET, "/v2/actor-builds/{buildId}", this::get)
                .add(HttpMethod.POST, "/v2/actor-builds/{buildId}/abort", this::abort)
                .delete("/v2/actor-builds/{buildId}", this::delete);
    }

    /** An import when the body names an image or a rootfs; else a build of the {@code version}'s source. */
    private CompletableFuture<ApiResponse> create(ApiRequest r) {
        if (r.body().length > 0) {
            CreateBuildDto body = Bodies.json(r, CreateBuildDto.class);
            if (present(body.image()) || present(body.rootfs())) {
                return imports.importBuild(r);
            }
        }
        Actor actor = resources.actor(r, r.pathParam("actorId"), Need.WRITE);
        String version = r.query("version").orElseThrow(() -> new ApiException(ErrorType.INVALID_INPUT, "a build"
                + " needs 'version', the actor version whose source to build (or, to import, a body with 'image' or"
                + " 'rootfs')"));
        Build build = builds.start(actor, new SourceBuildRequest(version, r.query("tag"), r.queryBool("useCache"),
                r.queryBool("betaPackages"), r.queryLong("memory"), r.queryLong("timeout"), meta(r), r.caller()));
        return builds.waitForFinish(build.id(), r.queryLong("waitForFinish").orElse(0L)).thenApply(b ->
                ApiResponse.data(201, views.build(actorOf(b), b)).withHeader("Location", "/v2/actor-builds/" + b.id()));
    }

    /** The caller's builds, of all their actors (apify-client's {@code builds().list()}). */
    private ApiResponse listUserBuilds(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Paging.Page<Build> found = actors.userBuilds(r.caller().userId(), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(b -> views.build(actorOf(b), b)).toList()));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest r) {
        Build build = resources.build(r, r.pathParam("buildId"), Need.READ);
        return builds.waitForFinish(build.id(), r.queryLong("waitForFinish").orElse(0L))
                .thenApply(b -> ApiResponse.data(200, views.build(actorOf(b), b)));
    }

    /** The build the actor's default build tag (its default run options' build) names, as runs would use it. */
    private CompletableFuture<ApiResponse> defaultBuild(ApiRequest r) {
        Actor actor = resources.actor(r, r.pathParam("actorId"), Need.READ);
        Build build = actors.resolveBuild(actor, actor.defaultRunOptions().build());
        return builds.waitForFinish(build.id(), r.queryLong("waitForFinish").orElse(0L))
                .thenApply(b -> ApiResponse.data(200, views.build(actor, b)));
    }

    private CompletableFuture<ApiResponse> abort(ApiRequest r) {
        Build build = resources.build(r, r.pathParam("buildId"), Need.WRITE);
        return builds.abort(build.id()).thenApply(b -> ApiResponse.data(200, views.build(actorOf(b), b)));
    }

    /** Only a build that has ended can be deleted (as only a finished run can), and none a run still uses. */
    private ApiResponse delete(ApiRequest r) {
        Build build = resources.build(r, r.pathParam("buildId"), Need.MANAGE);
        if (builds.isActive(build.id()) || !build.isTerminal()) {
            throw new ApiException(ErrorType.DELETING_UNFINISHED_BUILD, "build " + build.buildNumber() + " is "
                    + build.status() + "; only a finished build can be deleted (abort it first)");
        }
        ApiResponse deleted = imports.deleteBuild(build);
        builds.deleteLog(build.id());
        return deleted;
    }

    private Actor actorOf(Build b) {
        return actors.byId(b.actId()).orElseThrow(() -> ApiException.notFound("Actor", b.actId()));
    }

    /** Apify's build meta: the request's origin, client address (as a proxy in front tells it) and user agent. */
    private static Build.Meta meta(ApiRequest r) {
        String forwarded = r.headers().get("X-Forwarded-For");
        return new Build.Meta(r.caller().run().isPresent() ? "ACTOR" : "API",
                forwarded == null ? null : forwarded.split(",")[0].trim(), r.headers().get("User-Agent"));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }
}
