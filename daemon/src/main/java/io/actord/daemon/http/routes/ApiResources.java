package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.Caller;
import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.actor.Build;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunSelection;
import io.actord.daemon.run.RunService;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * What the ids and names in a URL refer to, for the request's caller: every route resolves actors, builds
 * and runs here, and each is passed through {@link Access} with what the route needs of it, so no route can
 * reach one the caller may not use. (Storages are checked the same way where they are resolved, in
 * {@link io.actord.daemon.storage.StorageRegistry}.)
 */
public final class ApiResources {
    private final ActorService actors;
    private final RunService runs;
    private final Access access;

    public ApiResources(ActorService actors, RunService runs, Access access) {
        this.actors = actors;
        this.runs = runs;
        this.access = access;
    }

    /** The run, if the caller may do {@code need} to it; else 404 (or 401 or 403, see {@link Access}). */
    public Run run(ApiRequest r, String runId, Need need) {
        Run run = runs.get(runId);
        access.check(r.caller(), Access.Resource.run(run.id(), run.userId()), need);
        return run;
    }

    /**
     * The run for reading the run object alone, which the daemon may let anyone holding the id do
     * ({@link Access#checkRunObject}); its log and storages go through {@link #run}.
     */
    public Run runObject(ApiRequest r, String runId) {
        Run run = runs.get(runId);
        access.checkRunObject(r.caller(), Access.Resource.run(run.id(), run.userId()));
        return run;
    }

    /** The actor an id or name refers to for the caller ({@code ~name} and bare names are the caller's own). */
    public Actor actor(ApiRequest r, String ref, Need need) {
        Caller caller = r.caller();
        Actor actor = actors.get(caller.userId(), ref);
        access.check(caller, Access.Resource.owned("Actor", ref, actor.userId()), need);
        return actor;
    }

    /**
     * The id of the run or build whose log {@code id} names, if the caller may read it (run and build ids are of
     * one kind, and their logs share one directory); else 404.
     */
    public String logOwner(ApiRequest r, String id) {
        Optional<Run> run = runs.find(id);
        if (run.isPresent()) {
            access.check(r.caller(), Access.Resource.run(run.get().id(), run.get().userId()), Need.READ);
            return run.get().id();
        }
        return build(r, id, Need.READ).id();
    }

    public Build build(ApiRequest r, String buildId, Need need) {
        Build build = actors.getBuild(buildId);
        access.check(r.caller(), Access.Resource.owned("Build", buildId, build.userId()), need);
        return build;
    }

    /**
     * Which runs a list or "last run" shows: the caller's own, of one actor or all of them; the admin sees
     * every user's runs of an actor.
     */
    public RunSelection selection(ApiRequest r, Optional<Actor> actor) {
        Caller caller = r.caller();
        Optional<String> user = caller.isAdmin() && actor.isPresent() ? Optional.empty() : Optional.of(caller.userId());
        return new RunSelection(actor.map(Actor::id), user, RunRoutes.statuses(r), instant(r, "startedAfter"),
                instant(r, "startedBefore"));
    }

    private static Optional<Instant> instant(ApiRequest r, String name) {
        return r.query(name).map(v -> {
            try {
                return Instant.parse(v);
            } catch (DateTimeParseException e) {
                throw ApiException.invalidValue(name + " '" + v + "' is not an ISO 8601 UTC time such as"
                        + " 2026-11-28T12:00:00.000Z");
            }
        });
    }

    /** The most recent of the caller's runs of the actor in {@code {actorId}} ({@code status} picks). */
    public Run lastRun(ApiRequest r) {
        String ref = r.pathParam("actorId");
        Actor actor = actor(r, ref, Need.READ);
        return runs.last(selection(r, Optional.of(actor))).orElseThrow(() -> ApiException.notFound(
                "Last run of actor", ref));
    }
}
