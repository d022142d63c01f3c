package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.ErrorType;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.run.RunService;
import io.actord.daemon.run.RunStatus;
import io.netty.handler.codec.http.HttpMethod;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Apify's synchronous runs: {@code POST|GET /v2/actors/{actorId}/run-sync} starts a run as {@code …/runs}
 * does, waits up to 300 s for it ({@link io.actord.daemon.run.RunService.Settings#syncWait}) and answers 201
 * with its OUTPUT record (or {@code outputRecordKey}); {@code run-sync-get-dataset-items} answers with its
 * default dataset's items, taking the item route's parameters. A run that fails is 400 {@code run-failed};
 * one that goes on past the wait is 408
 * {@code run-timeout-exceeded} and keeps running. Both messages name the run.
 */
public final class RunSyncRoutes {
    private static final List<HttpMethod> METHODS = List.of(HttpMethod.POST, HttpMethod.GET);

    private final RunRoutes runRoutes;
    private final RunService runs;
    private final StorageRoutes storages;
    private final Duration maxWait;

    public RunSyncRoutes(RunRoutes runRoutes, RunService runs, StorageRoutes storages, Duration maxWait) {
        this.runRoutes = runRoutes;
        this.maxWait = maxWait;
        this.runs = runs;
        this.storages = storages;
    }

    public void register(Router router) {
        for (String p : ActorRoutes.PREFIXES) {
            register(router, p + "/{actorId}", runRoutes::startRun);
        }
    }

    /** Registers {@code run-sync} and {@code run-sync-get-dataset-items} under {@code prefix}, starting with {@code start}. */
    void register(Router router, String prefix, Function<ApiRequest, Run> start) {
        for (HttpMethod m : METHODS) {
            router.add(m, prefix + "/run-sync", r -> sync(r, start, (req, run) -> storages.record(req,
                    run.defaultKeyValueStoreId(), req.query("outputRecordKey").orElse("OUTPUT"))));
            router.add(m, prefix + "/run-sync-get-dataset-items", r -> sync(r, start, (req, run) ->
                    storages.items(req, run.defaultDatasetId())));
        }
    }

    private CompletableFuture<ApiResponse> sync(ApiRequest r, Function<ApiRequest, Run> start,
                                                BiFunction<ApiRequest, Run, ApiResponse> output) {
        Run started = start.apply(r);
        return runs.awaitEnd(started.id(), maxWait).thenApply(run -> {
            if (!run.status().isTerminal()) {
                throw new ApiException(ErrorType.RUN_TIMEOUT_EXCEEDED, "Actor run exceeded the " + maxWait.toSeconds()
                        + " s limit of a synchronous run; it goes on as run " + run.id());
            }
            if (run.status() != RunStatus.SUCCEEDED) {
                throw new ApiException(ErrorType.RUN_FAILED, "Actor run did not succeed (run ID: " + run.id()
                        + ", status: " + run.status().wireName() + ")");
            }
            ApiResponse.Full answer = (ApiResponse.Full) output.apply(r, run);
            return new ApiResponse.Full(201, answer.contentType(), answer.body(), answer.headers());
        });
    }
}
