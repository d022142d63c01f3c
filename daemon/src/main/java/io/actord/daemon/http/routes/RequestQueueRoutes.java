package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.dto.BatchRequestsDto;
import io.actord.daemon.api.dto.LockedHeadDto;
import io.actord.daemon.api.dto.QueueHeadDto;
import io.actord.daemon.api.dto.RequestListDto;
import io.actord.daemon.api.dto.RequestLockDto;
import io.actord.daemon.api.dto.RequestOperationDto;
import io.actord.daemon.api.dto.UnlockedDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.QueueRequests;
import io.actord.daemon.storage.RequestQueueStore;
import io.actord.daemon.storage.StorageRegistry;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

/**
 * Request queues: {@code /v2/request-queues} (list, getOrCreate) and each queue's routes, which
 * {@link #registerQueue} can also mount under another prefix (a run's default queue).
 */
public final class RequestQueueRoutes {
    private static final int DEFAULT_HEAD_LIMIT = 100;
    private static final int DEFAULT_LIST_LIMIT = 1000;

    private final RequestQueueStore queues;
    private final Function<ApiRequest, Caller> callers;

    public RequestQueueRoutes(RequestQueueStore queues, Function<ApiRequest, Caller> callers) {
        this.queues = queues;
        this.callers = callers;
    }

    public void register(Router router) {
        router.get("/v2/request-queues", r -> StorageRequests.page(r, p -> queues.list(callers.apply(r), p.offset(),
                        p.limit(), p.desc(), p.unnamed()), m -> StorageViews.requestQueue(m, callers.apply(r))))
                .post("/v2/request-queues", this::getOrCreate);
        registerQueue(router, "/v2/request-queues/{queueId}", r -> r.pathParam("queueId"));
    }

    /** The routes of one queue under {@code prefix}; {@code ref} names the queue a request is about. */
    public void registerQueue(Router router, String prefix, Function<ApiRequest, String> ref) {
        router.get(prefix, r -> {
                    Caller c = callers.apply(r);
                    return ApiResponse.data(200, StorageViews.requestQueue(queues.get(c, ref.apply(r)), c));
                })
                .put(prefix, r -> {
                    Caller c = callers.apply(r);
                    String id = ref.apply(r);
                    return ApiResponse.data(200, StorageViews.requestQueue(queues.rename(c, id,
                            StorageRequests.newName(r, queues.get(c, id).name())), c));
                })
                .delete(prefix, r -> {
                    queues.delete(callers.apply(r), ref.apply(r));
                    return ApiResponse.noContent();
                })
                .post(prefix + "/requests", r -> {
                    RequestQueueStore.Added a = queues.add(callers.apply(r), ref.apply(r), StorageRequests.json(r),
                            r.queryBool("forefront"), clientKey(r));
                    return ApiResponse.data(201, operation(a));
                })
                .get(prefix + "/requests", r -> list(r, ref.apply(r)))
                .post(prefix + "/requests/batch", r -> ApiResponse.data(201, batch(queues.addBatch(callers.apply(r),
                        ref.apply(r), StorageRequests.json(r), r.queryBool("forefront"), clientKey(r)))))
                .delete(prefix + "/requests/batch", r -> ApiResponse.data(200, batch(queues.deleteBatch(
                        callers.apply(r), ref.apply(r), StorageRequests.json(r), clientKey(r)))))
                .post(prefix + "/requests/unlock", r -> ApiResponse.data(200, new UnlockedDto(queues.unlockAll(
                        callers.apply(r), ref.apply(r), clientKey(r)))))
                .get(prefix + "/requests/{requestId}", r -> {
                    String id = r.pathParam("requestId");
                    return ApiResponse.data(200, queues.request(callers.apply(r), ref.apply(r), id)
                            .orElseThrow(() -> ApiException.notFound("Request", id)));
                })
                .put(prefix + "/requests/{requestId}", r -> ApiResponse.data(200, operation(queues.update(
                        callers.apply(r), ref.apply(r), r.pathParam("requestId"), StorageRequests.json(r),
                        r.queryBool("forefront"), clientKey(r)))))
                .delete(prefix + "/requests/{requestId}", r -> {
                    queues.deleteRequest(callers.apply(r), ref.apply(r), r.pathParam("requestId"), clientKey(r));
                    return ApiResponse.noContent();
                })
                .put(prefix + "/requests/{requestId}/lock", r -> ApiResponse.data(200, new RequestLockDto(
                        queues.prolongLock(callers.apply(r), ref.apply(r), r.pathParam("requestId"),
                                StorageRequests.seconds(r, "lockSecs"), r.queryBool("forefront"), clientKey(r)))))
                .delete(prefix + "/requests/{requestId}/lock", r -> {
                    queues.deleteLock(callers.apply(r), ref.apply(r), r.pathParam("requestId"),
                            r.queryBool("forefront"), clientKey(r));
                    return ApiResponse.noContent();
                })
                .get(prefix + "/head", r -> head(r, ref.apply(r)))
                .post(prefix + "/head/lock", r -> lockHead(r, ref.apply(r)));
    }

    private ApiResponse getOrCreate(ApiRequest r) {
        Caller c = callers.apply(r);
        StorageRegistry.Opened opened = queues.getOrCreate(c, r.query("name"));
        return ApiResponse.data(opened.created() ? 201 : 200, StorageViews.requestQueue(opened.meta(), c));
    }

    private ApiResponse head(ApiRequest r, String queueRef) {
        int limit = limit(r, DEFAULT_HEAD_LIMIT, RequestQueueStore.MAX_HEAD_LIMIT);
        RequestQueueStore.Head h = queues.head(callers.apply(r), queueRef, limit, clientKey(r));
        return ApiResponse.data(200, new QueueHeadDto(limit, h.queueModifiedAt(), h.hadMultipleClients(),
                h.items().stream().map(i -> new QueueHeadDto.Item(i.id(), i.uniqueKey(), i.url(), i.method(),
                        i.retryCount())).toList()));
    }

    private ApiResponse lockHead(ApiRequest r, String queueRef) {
        int limit = limit(r, RequestQueueStore.MAX_LOCK_LIMIT, RequestQueueStore.MAX_LOCK_LIMIT);
        Duration lockSecs = StorageRequests.seconds(r, "lockSecs");
        String clientKey = clientKey(r);
        RequestQueueStore.Head h = queues.lockHead(callers.apply(r), queueRef, limit, lockSecs, clientKey);
        return ApiResponse.data(201, new LockedHeadDto(limit, lockSecs.toMillis() / 1000.0, h.queueModifiedAt(),
                h.hadMultipleClients(), h.queueHasLockedRequests(), clientKey.isEmpty() ? null : clientKey,
                h.items().stream().map(i -> new LockedHeadDto.Item(i.id(), i.uniqueKey(), i.url(), i.method(),
                        i.retryCount(), i.lockExpiresAt())).toList()));
    }

    private ApiResponse list(ApiRequest r, String queueRef) {
        int limit = limit(r, DEFAULT_LIST_LIMIT, RequestQueueStore.MAX_LIST_LIMIT);
        List<String> filter = StorageRequests.list(r, "filter");
        for (String f : filter) {
            if (!f.equals("pending") && !f.equals("locked")) {
                throw ApiException.invalidValue("filter '" + f + "' is not one of: locked, pending");
            }
        }
        RequestQueueStore.RequestPage page = queues.listRequests(callers.apply(r), queueRef, limit,
                r.query("cursor").or(() -> r.query("exclusiveStartId")), filter.contains("pending"),
                filter.contains("locked"));
        return ApiResponse.data(200, new RequestListDto(page.items(), page.items().size(), page.limit(),
                page.exclusiveStartId(), page.nextCursor()));
    }

    private static int limit(ApiRequest r, int fallback, int max) {
        return (int) Math.min(StorageRequests.nonNegative(r, "limit").filter(l -> l > 0).orElse((long) fallback), max);
    }

    private static String clientKey(ApiRequest r) {
        return QueueRequests.clientKey(r.query("clientKey"));
    }

    private static RequestOperationDto operation(RequestQueueStore.Added a) {
        return new RequestOperationDto(a.requestId(), a.wasAlreadyPresent(), a.wasAlreadyHandled());
    }

    private static BatchRequestsDto batch(RequestQueueStore.BatchResult b) {
        return new BatchRequestsDto(b.processedRequests().stream().map(a -> new BatchRequestsDto.Processed(
                a.requestId(), a.uniqueKey(), a.wasAlreadyPresent(), a.wasAlreadyHandled())).toList(),
                b.unprocessedRequests().stream().map(u -> new BatchRequestsDto.Unprocessed(u.uniqueKey(), u.url(),
                        u.method())).toList());
    }
}
