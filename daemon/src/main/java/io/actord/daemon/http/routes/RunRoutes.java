package io.actord.daemon.http.routes;

import io.actord.daemon.actor.Actor;
import io.actord.daemon.actor.ActorService;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.store.Paging;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** Runs: start, get (with waitForFinish), list, last, abort, resurrect. */
public final class RunRoutes {
    private final RunService runs;
    private final ActorService actors;
    private final Views views;

    public RunRoutes(RunService runs, ActorService actors, Views views) {
        this.runs = runs;
        this.actors = actors;
        this.views = views;
    }

    public void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            router.add(HttpMethod.POST, p + "/{actorId}/runs", this::start)
                    .get(p + "/{actorId}/runs", this::listForActor)
                    .add(HttpMethod.GET, p + "/{actorId}/runs/last", this::last);
        }
        router.get("/v2/actor-runs", this::list)
                .add(HttpMethod.GET, "/v2/actor-runs/{runId}", this::get)
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/abort", r -> runs.abort(r.pathParam("runId"),
                        r.queryBool("gracefully")).thenApply(this::ok))
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/resurrect", this::resurrect);
    }

    private CompletableFuture<ApiResponse> start(ApiRequest r) {
        Run run = runs.start(r.pathParam("actorId"), new RunService.StartRequest(r.query("build"),
                r.queryLong("memory"), r.queryLong("timeout"), r.body(), r.contentType(), "API"));
        long wait = r.queryLong("waitForFinish").orElse(0L);
        CompletableFuture<Run> answer = wait > 0 ? runs.waitForFinish(run.id(), wait)
                : CompletableFuture.completedFuture(runs.get(run.id()));
        return answer.thenApply(x -> ApiResponse.data(201, views.run(x)).withHeader("Location",
                "/v2/actor-runs/" + run.id()));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest r) {
        return runs.waitForFinish(r.pathParam("runId"), r.queryLong("waitForFinish").orElse(0L)).thenApply(this::ok);
    }

    private CompletableFuture<ApiResponse> last(ApiRequest r) {
        Actor actor = actors.get(r.pathParam("actorId"));
        Run run = runs.last(actor.id(), statuses(r)).orElseThrow(() -> ApiException.notFound("Last run of actor",
                actor.fullName()));
        return runs.waitForFinish(run.id(), r.queryLong("waitForFinish").orElse(0L)).thenApply(this::ok);
    }

    private ApiResponse list(ApiRequest r) {
        return page(r, Optional.empty());
    }

    private ApiResponse listForActor(ApiRequest r) {
        return page(r, Optional.of(actors.get(r.pathParam("actorId")).id()));
    }

    private ApiResponse page(ApiRequest r, Optional<String> actorId) {
        PageParams page = PageParams.of(r);
        Paging.Page<Run> found = runs.list(actorId, actors.owner().id(), page.offset(), page.limit(), page.desc(),
                statuses(r));
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(views::run).toList()));
    }

    private CompletableFuture<ApiResponse> resurrect(ApiRequest r) {
        return runs.resurrect(r.pathParam("runId"), new RunService.ResurrectRequest(r.query("build"),
                r.queryLong("memory"), r.queryLong("timeout"))).thenApply(this::ok);
    }

    private ApiResponse ok(Run run) {
        return ApiResponse.data(200, views.run(run));
    }

    /** {@code status=SUCCEEDED} or a comma-separated list; an unknown status is 400 invalid-value. */
    static Set<RunStatus> statuses(ApiRequest r) {
        Set<RunStatus> set = EnumSet.noneOf(RunStatus.class);
        r.query("status").ifPresent(v -> Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .forEach(s -> set.add(RunStatus.parse(s).orElseThrow(() -> ApiException.invalidValue(
                        "status '" + s + "' is not one of READY, RUNNING, SUCCEEDED, FAILED, TIMING-OUT, TIMED-OUT,"
                                + " ABORTING, ABORTED")))));
        return set;
    }
}
