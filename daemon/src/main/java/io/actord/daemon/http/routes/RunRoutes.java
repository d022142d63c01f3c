package io.actord.daemon.http.routes;

import io.actord.daemon.access.Access;
import io.actord.daemon.access.GeneralAccess;
import io.actord.daemon.access.Need;
import io.actord.daemon.actor.Actor;
import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.api.dto.ChargeDto;
import io.actord.daemon.api.dto.RunUpdateDto;
import io.actord.daemon.api.dto.ListPage;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunDeletion;
import io.actord.daemon.run.MetamorphRequest;
import io.actord.daemon.run.ResurrectRequest;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.StartLimits;
import io.actord.daemon.run.StartRequest;
import io.actord.daemon.run.RunStatus;
import io.actord.daemon.runoptions.RunNetwork;
import io.actord.daemon.state.Paging;
import io.netty.handler.codec.http.HttpMethod;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Runs: start, get (with waitForFinish), list, last, abort, resurrect, reboot, metamorph, {@code PUT} of a run's status message
 * or general access, and {@code DELETE} of a finished run. A run started by a caller runs as the caller's user (from inside a run: the same user as that run).
 */
public final class RunRoutes {
    private final RunService runs;
    private final ApiResources resources;
    private final Access access;
    private final Views views;
    private final RunDeletion deletion;

    public RunRoutes(RunService runs, ApiResources resources, Access access, Views views, RunDeletion deletion) {
        this.runs = runs;
        this.resources = resources;
        this.access = access;
        this.views = views;
        this.deletion = deletion;
    }

    public void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            router.add(HttpMethod.POST, p + "/{actorId}/runs", this::start)
                    .get(p + "/{actorId}/runs", this::listForActor)
                    .add(HttpMethod.GET, p + "/{actorId}/runs/last", this::last)
                    .add(HttpMethod.POST, p + "/{actorId}/runs/last/abort", r -> runs.abort(resources.lastRun(r).id(),
                            r.queryBool("gracefully")).thenApply(this::ok))
                    .add(HttpMethod.POST, p + "/{actorId}/runs/last/reboot", r -> runs.reboot(resources.lastRun(r).id())
                            .thenApply(this::ok))
                    .add(HttpMethod.POST, p + "/{actorId}/runs/last/metamorph", r -> metamorph(r,
                            resources.run(r, resources.lastRun(r).id(), Need.MANAGE)));
        }
        router.get("/v2/actor-runs", this::list)
                .add(HttpMethod.GET, "/v2/actor-runs/{runId}", this::get)
                .add(HttpMethod.PUT, "/v2/actor-runs/{runId}", this::update)
                .add(HttpMethod.DELETE, "/v2/actor-runs/{runId}", this::delete)
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/abort", r -> runs.abort(run(r, Need.WRITE).id(),
                        r.queryBool("gracefully")).thenApply(this::ok))
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/resurrect", this::resurrect)
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/reboot", r -> runs.reboot(run(r, Need.WRITE).id())
                        .thenApply(this::ok))
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/metamorph", r -> metamorph(r, run(r, Need.MANAGE)))
                .add(HttpMethod.POST, "/v2/actor-runs/{runId}/charge", this::charge);
    }

    /**
     * Pay-per-event charging: records the body's {@code eventName} × {@code count} in the run's
     * {@code chargedEventCounts}, once per {@code idempotency-key} header (as apify-client sends it) or
     * {@code idempotencyKey} parameter. Nothing is priced, so nothing is billed.
     */
    private CompletableFuture<ApiResponse> charge(ApiRequest r) {
        Run run = run(r, Need.WRITE);
        ChargeDto body = Bodies.json(r, ChargeDto.class);
        String key = Optional.ofNullable(r.headers().get("idempotency-key")).or(() -> r.query("idempotencyKey"))
                .orElse(null);
        return runs.charge(run.id(), body.eventName(), body.count() == null ? 1 : body.count(), key)
                .thenApply(charged -> ApiResponse.json(201, Map.of()));
    }

    private Run run(ApiRequest r, Need need) {
        return resources.run(r, r.pathParam("runId"), need);
    }

    /**
     * Starts a run of the path's actor with the query's options (ad-hoc {@code webhooks} among them) and the body as
     * its INPUT, as the caller.
     */
    Run startRun(ApiRequest r) {
        Actor actor = resources.actor(r, r.pathParam("actorId"), Need.WRITE);
        return runs.start(actor, r.caller().userId(), startRequest(r));
    }

    /** What a start request asks for in its query and body (the options actord does not act on refused). */
    static StartRequest startRequest(ApiRequest r) {
        UnsupportedRunOptions.reject(r);
        return new StartRequest(r.query("build"), r.queryLong("memory"), r.queryLong("timeout"), r.body(),
                r.contentType(), r.caller().run().isPresent() ? "ACTOR" : "API",
                r.query("network").map(RunNetwork::fromWire), r.caller().isAdmin(), r.query("webhooks"),
                Optional.empty(), Optional.empty(), StartLimitParams.of(r));
    }

    private CompletableFuture<ApiResponse> start(ApiRequest r) {
        return started(r, startRun(r));
    }

    /** The answer to a start request: 201 with the run, once it ends if the request waits ({@code waitForFinish}). */
    CompletableFuture<ApiResponse> started(ApiRequest r, Run run) {
        long wait = r.queryLong("waitForFinish").orElse(0L);
        CompletableFuture<Run> answer = wait > 0 ? runs.waitForFinish(run.id(), wait)
                : CompletableFuture.completedFuture(runs.get(run.id()));
        return answer.thenApply(x -> ApiResponse.data(201, views.run(x)).withHeader("Location",
                "/v2/actor-runs/" + run.id()));
    }

    private CompletableFuture<ApiResponse> get(ApiRequest r) {
        return runs.waitForFinish(resources.runObject(r, r.pathParam("runId")).id(),
                r.queryLong("waitForFinish").orElse(0L)).thenApply(this::ok);
    }

    /**
     * Apify's run update: {@code statusMessage} (with {@code isStatusMessageTerminal}) from whoever may write
     * to the run, typically the run itself; {@code generalAccess} from its owner. {@code level} is only logged
     * by the SDK, so it is accepted and not kept.
     */
    private CompletableFuture<ApiResponse> update(ApiRequest r) {
        RunUpdateDto body = Bodies.json(r, RunUpdateDto.class);
        if (body.generalAccess() == null && body.statusMessage() == null) {
            throw new ApiException(ErrorType.INVALID_INPUT, "a run update needs statusMessage or generalAccess");
        }
        Run run = run(r, body.generalAccess() != null ? Need.MANAGE : Need.WRITE);
        GeneralAccess generalAccess = body.generalAccess() == null ? null : GeneralAccess.parse(body.generalAccess());
        CompletableFuture<Run> updated = body.statusMessage() == null ? CompletableFuture.completedFuture(run)
                : runs.setStatusMessage(run.id(), body.statusMessage(), Boolean.TRUE.equals(body.isStatusMessageTerminal()));
        return updated.thenApply(u -> {
            if (generalAccess != null) {
                access.setGeneralAccess(u.id(), generalAccess);
            }
            return ok(runs.get(u.id()));
        });
    }

    /** Deletes a finished run with its log and default storages (as retention would). */
    private CompletableFuture<ApiResponse> delete(ApiRequest r) {
        return deletion.delete(run(r, Need.MANAGE).id()).thenApply(deleted -> ApiResponse.noContent());
    }

    private CompletableFuture<ApiResponse> last(ApiRequest r) {
        return answer(r, resources.lastRun(r));
    }

    /** A run as {@code GET} of it answers: once it ends if the request waits ({@code waitForFinish}). */
    CompletableFuture<ApiResponse> answer(ApiRequest r, Run run) {
        return runs.waitForFinish(run.id(), r.queryLong("waitForFinish").orElse(0L)).thenApply(this::ok);
    }

    private ApiResponse list(ApiRequest r) {
        return page(r, Optional.empty());
    }

    private ApiResponse listForActor(ApiRequest r) {
        return page(r, Optional.of(resources.actor(r, r.pathParam("actorId"), Need.READ)));
    }

    private ApiResponse page(ApiRequest r, Optional<Actor> actor) {
        PageParams page = PageParams.of(r);
        Paging.Page<Run> found = runs.list(resources.selection(r, actor), page.offset(), page.limit(), page.desc());
        return ApiResponse.data(200, ListPage.of(found.total(), page.offset(), page.limit(), page.desc(),
                found.items().stream().map(views::run).toList()));
    }

    /**
     * Restarts a finished run. A user it is shared with for WRITE may restart it as it was; another build,
     * memory, timeout or limit is the owner's choice (it runs other code, or spends more of the owner's limits).
     */
    private CompletableFuture<ApiResponse> resurrect(ApiRequest r) {
        ResurrectRequest req = new ResurrectRequest(r.query("build"), r.queryLong("memory"),
                r.queryLong("timeout"), StartLimitParams.of(r));
        boolean changed = req.build().isPresent() || req.memoryMbytes().isPresent() || req.timeoutSecs().isPresent()
                || !req.limits().equals(StartLimits.NONE);
        Run run = run(r, changed ? Need.MANAGE : Need.WRITE);
        UnsupportedRunOptions.reject(r);
        return runs.resurrect(run.id(), req).thenApply(this::ok);
    }

    /**
     * Apify's metamorph, for the run's owner only (a grantee's own actor would get the owner's token):
     * {@code targetActorId} (an id or {@code user~name}, which the caller must be able to run),
     * {@code build} of the target (default: its default run options' build), the body as the new input.
     */
    private CompletableFuture<ApiResponse> metamorph(ApiRequest r, Run run) {
        String target = r.query("targetActorId").filter(t -> !t.isBlank()).orElseThrow(() -> ApiException.invalidValue(
                "targetActorId is required: the actor the run should be turned into"));
        Actor actor = resources.actor(r, target, Need.WRITE);
        return runs.metamorph(run.id(), actor, new MetamorphRequest(r.query("build"), r.body(),
                r.contentType())).thenApply(this::ok);
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
