package io.actord.daemon.http.routes;

import com.fasterxml.jackson.databind.JsonNode;
import io.actord.daemon.access.Access;
import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.ActorStandby;
import io.actord.daemon.actor.Build;
import io.actord.daemon.actor.BuildImports;
import io.actord.daemon.actor.DefaultRunOptions;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ActorDto;
import io.actord.daemon.api.dto.CreateActorDto;
import io.actord.daemon.builds.BuildService;
import io.actord.daemon.api.dto.CreateBuildDto;
import io.actord.daemon.input.BuildDefinitions;
import io.actord.daemon.api.dto.DefaultRunOptionsDto;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.ActorRuns;
import io.actord.daemon.run.RunService;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.state.Paging;
import io.actord.daemon.version.VersionService;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Actors and their builds: {@code /v2/acts}, {@code /v2/acts/{actorId}}, {@code GET /v2/acts/{actorId}/builds}, and
 * the import of an image or rootfs as a build ({@link BuildRoutes} dispatches the POST).
 */
public final class ActorRoutes {
    static final List<String> PREFIXES = List.of("/v2/acts", "/v2/actors");

    private final ActorService actors;
    private final RunService runs;
    private final ApiResources resources;
    private final Access access;
    private final Views views;
    private final BuildImports imports;
    private final VersionService versions;
    private final BuildService builds;

    public ActorRoutes(ActorService actors, RunService runs, ApiResources resources, Access access, Views views,
                       BuildImports imports, VersionService versions, BuildService builds) {
        this.builds = builds;
        this.actors = actors;
        this.versions = versions;
        this.imports = imports;
        this.runs = runs;
        this.resources = resources;
        this.access = access;
        this.views = views;
    }

    public void register(Router router) {
        for (String p : PREFIXES) {
            router.post(p, this::create)
                    .get(p, this::list)
                    .get(p + "/{actorId}", r -> ApiResponse.data(200, view(actor(r, Need.READ))))
                    .put(p + "/{actorId}", this::update)
                    .delete(p + "/{actorId}", this::delete)
                    .get(p + "/{actorId}/builds", this::listBuilds);
        }
    }

    private Actor actor(ApiRequest r, Need need) {
        return resources.actor(r, r.pathParam("actorId"), need);
    }

    private ApiResponse create(ApiRequest r) {
        CreateActorDto body = Bodies.json(r, CreateActorDto.class);
        UnsupportedActorFields.reject(r);
        checkNetwork(r, body);
        Actor actor = actors.create(new ActorService.NewActor(body.name(), body.title(), body.description(),
                options(body.defaultRunOptions(), DefaultRunOptions.STANDARD),
                StandbyOptions.of(body.actorStandby(), ActorStandby.DISABLED)), r.caller().userId(),
                r.caller().username());
        return ApiResponse.data(201, view(actor)).withHeader("Location", "/v2/acts/" + actor.id());
    }

    private ApiResponse list(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Paging.Page<Actor> found = actors.list(r.caller().userId(), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(views::actorShort).toList()));
    }

    private ApiResponse update(ApiRequest r) {
        CreateActorDto body = Bodies.json(r, CreateActorDto.class);
        UnsupportedActorFields.reject(r);
        Actor current = actor(r, Need.WRITE);
        checkNetwork(r, body);
        Actor updated = actors.update(current.id(), new ActorService.ActorUpdate(body.name(), body.title(),
                body.description(), body.defaultRunOptions() == null ? null
                : options(body.defaultRunOptions(), current.defaultRunOptions()),
                StandbyOptions.of(body.actorStandby(), current.standby())));
        return ApiResponse.data(200, view(updated));
    }

    private ApiResponse delete(ApiRequest r) {
        Actor actor = actor(r, Need.MANAGE);
        if (runs.hasActiveRuns(actor.id()) || builds.hasActiveBuilds(actor.id())) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "actor '" + actor.fullName()
                    + "' has runs or builds that have not finished; abort them first");
        }
        List<Build> gone = actors.buildStore().all(actor.id());
        actors.delete(actor.id());
        versions.deleteAll(actor.id());
        gone.forEach(b -> builds.deleteLog(b.id()));
        return ApiResponse.noContent();
    }

    /**
     * Builds read any path on the daemon's host, so only the admin may create them: a user could otherwise
     * copy /etc into a run and read it. The import runs on {@link BuildImports}, not on the request thread.
     */
    CompletableFuture<ApiResponse> importBuild(ApiRequest r) {
        access.requireAdmin(r.caller(), "builds from an image or rootfs on the daemon's host can be created");
        Actor actor = actor(r, Need.WRITE);
        CreateBuildDto body = Bodies.json(r, CreateBuildDto.class);
        List<String> tags = new ArrayList<>(body.tags() == null ? List.of() : body.tags());
        r.query("tag").ifPresent(tags::add);
        boolean image = body.image() != null && !body.image().isBlank();
        boolean rootfs = body.rootfs() != null && !body.rootfs().isBlank();
        if (image == rootfs) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a build needs either 'image' (oci:PATH[:TAG] or"
                    + " docker-archive:PATH) or 'rootfs' (a directory or tar file on the daemon's host)");
        }
        ActorService.Source source = image ? new ActorService.Source.Image(body.image())
                : new ActorService.Source.Rootfs(Path.of(body.rootfs()));
        ActorService.NewBuild spec = new ActorService.NewBuild(source, body.cmd() == null || body.cmd().isNull() ? null
                : command(body.cmd()), tags, body.env(), body.workDir(), body.user(), body.version(),
                BuildDefinitions.fromRequest(body.actorDefinition(), body.inputSchema()));
        return imports.submit(() -> actors.createBuild(actor.id(), spec)).thenApply(build -> ApiResponse.data(201,
                views.build(actors.byId(build.actId()).orElse(actor), build)));
    }

    /** Deletes a build no unfinished run uses (400 run-state-conflict otherwise), with its tags. */
    ApiResponse deleteBuild(Build build) {
        if (runs.isBuildInUse(build.id())) {
            throw new ApiException(ErrorType.RUN_STATE_CONFLICT, "build " + build.buildNumber() + " has runs that have"
                    + " not finished; abort them first");
        }
        actors.deleteBuild(build.id());
        return ApiResponse.noContent();
    }

    private ApiResponse listBuilds(ApiRequest r) {
        PageParams page = PageParams.of(r);
        Actor actor = actor(r, Need.READ);
        Paging.Page<Build> found = actors.builds(actor.id(), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(b -> views.build(actor, b)).toList()));
    }

    /** An array is the exec form; a string runs under /bin/sh -c, as Docker's shell form does. */
    private static List<String> command(JsonNode cmd) {
        if (cmd.isTextual()) {
            return List.of("/bin/sh", "-c", cmd.asText());
        }
        if (cmd.isArray() && cmd.size() > 0) {
            List<String> out = new ArrayList<>();
            for (JsonNode n : cmd) {
                if (!n.isTextual()) {
                    throw new ApiException(ErrorType.INVALID_INPUT, "'cmd' must be an array of strings");
                }
                out.add(n.asText());
            }
            return out;
        }
        throw new ApiException(ErrorType.INVALID_INPUT, "'cmd' must be a non-empty array of strings or a string");
    }

    /** A default network wider than the daemon's is the admin's to set, as it is on a run. */
    private void checkNetwork(ApiRequest r, CreateActorDto body) {
        if (body.defaultRunOptions() != null && body.defaultRunOptions().network() != null) {
            runs.checkNetwork(RunNetwork.fromWire(body.defaultRunOptions().network()), r.caller().isAdmin());
        }
    }

    /** The Actor object with its stats (counted from the run and build indexes) and versions. */
    private ActorDto view(Actor a) {
        ActorRuns counted = runs.actorRuns(a.id());
        return views.actor(a, new ActorDto.Stats(actors.buildCount(a.id()), counted.total(), counted.lastStartedAt()),
                versions.list(a.id()));
    }

    private static DefaultRunOptions options(DefaultRunOptionsDto dto, DefaultRunOptions base) {
        if (dto == null) {
            return base;
        }
        return new DefaultRunOptions(dto.build() == null ? base.build() : dto.build(),
                dto.timeoutSecs() == null ? base.timeoutSecs() : dto.timeoutSecs(),
                dto.memoryMbytes() == null ? base.memoryMbytes() : dto.memoryMbytes(),
                dto.network() == null ? base.network() : RunNetwork.fromWire(dto.network()),
                dto.restartOnError() == null ? base.restartOnError() : dto.restartOnError());
    }
}
