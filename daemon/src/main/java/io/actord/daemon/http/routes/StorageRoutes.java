package io.actord.daemon.http.routes;

import io.actord.daemon.access.Caller;
import io.actord.daemon.access.Need;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.run.Run;
import io.actord.daemon.storage.Storages;

import java.util.function.Function;

/**
 * Every storage route: the three collections and their members, and the shortcuts to a run's default
 * storages — {@code /v2/actor-runs/{runId}/key-value-store|dataset|request-queue[/...]} and the same under
 * {@code /v2/actors/{actorId}/runs/last/} (and {@code /v2/acts/}), where {@code status} picks the last run.
 */
public final class StorageRoutes {
    private final KeyValueStoreRoutes keyValueStores;
    private final DatasetRoutes datasets;
    private final RequestQueueRoutes requestQueues;
    private final ApiResources resources;

    /**
     * A run's storages are reached through the run, which the caller must be able to read; the storage
     * itself then checks what the request does to it (it follows the run's sharing).
     */
    public StorageRoutes(Storages storages, ApiResources resources) {
        Function<ApiRequest, Caller> callers = ApiRequest::caller;
        this.keyValueStores = new KeyValueStoreRoutes(storages.keyValueStores(), callers);
        this.datasets = new DatasetRoutes(storages.datasets(), callers);
        this.requestQueues = new RequestQueueRoutes(storages.requestQueues(), callers);
        this.resources = resources;
    }

    public void register(Router router) {
        keyValueStores.register(router);
        datasets.register(router);
        requestQueues.register(router);
        registerDefaults(router, "/v2/actor-runs/{runId}", r -> resources.run(r, r.pathParam("runId"), Need.READ));
        for (String p : ActorRoutes.PREFIXES) {
            registerDefaults(router, p + "/{actorId}/runs/last", resources::lastRun);
        }
    }

    /** A key-value store record as its GET route answers it (run-sync's output). */
    ApiResponse record(ApiRequest r, String storeId, String key) {
        return keyValueStores.record(r, storeId, key);
    }

    /** A dataset's items as its GET route answers them (run-sync-get-dataset-items). */
    ApiResponse items(ApiRequest r, String datasetId) {
        return datasets.items(r, datasetId);
    }

    /** Registers the shortcuts to the default storages of the run {@code run} picks, under {@code runPrefix}. */
    void registerDefaults(Router router, String runPrefix, Function<ApiRequest, Run> run) {
        keyValueStores.registerStore(router, runPrefix + "/key-value-store", r -> run.apply(r).defaultKeyValueStoreId());
        datasets.registerDataset(router, runPrefix + "/dataset", r -> run.apply(r).defaultDatasetId());
        requestQueues.registerQueue(router, runPrefix + "/request-queue", r -> run.apply(r).defaultRequestQueueId());
    }
}
