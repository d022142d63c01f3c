package io.actord.daemon.http.routes;

import io.actord.daemon.api.ApiException;
import io.actord.daemon.api.dto.KeyListDto;
import io.actord.daemon.http.ApiRequest;
import io.actord.daemon.http.ApiResponse;
import io.actord.daemon.http.Router;
import io.actord.daemon.access.Caller;
import io.actord.daemon.storage.KeyValueStore;
import io.actord.daemon.storage.KvRecord;
import io.actord.daemon.storage.StorageRegistry;

import java.util.Map;
import java.util.function.Function;

/**
 * Key-value stores: {@code /v2/key-value-stores} (list, getOrCreate) and each store's routes, which
 * {@link #registerStore} can also mount under another prefix (a run's default store).
 */
public final class KeyValueStoreRoutes {
    private final KeyValueStore stores;
    private final Function<ApiRequest, Caller> callers;

    public KeyValueStoreRoutes(KeyValueStore stores, Function<ApiRequest, Caller> callers) {
        this.stores = stores;
        this.callers = callers;
    }

    public void register(Router router) {
        router.get("/v2/key-value-stores", r -> StorageRequests.page(r, p -> stores.list(callers.apply(r), p.offset(),
                        p.limit(), p.desc(), p.unnamed()), m -> StorageViews.keyValueStore(m, callers.apply(r))))
                .post("/v2/key-value-stores", this::getOrCreate);
        registerStore(router, "/v2/key-value-stores/{storeId}", r -> r.pathParam("storeId"));
    }

    /** The routes of one store under {@code prefix}; {@code ref} names the store a request is about. */
    public void registerStore(Router router, String prefix, Function<ApiRequest, String> ref) {
        router.get(prefix, r -> {
                    Caller c = callers.apply(r);
                    return ApiResponse.data(200, StorageViews.keyValueStore(stores.get(c, ref.apply(r)), c));
                })
                .put(prefix, r -> {
                    Caller c = callers.apply(r);
                    String id = ref.apply(r);
                    return ApiResponse.data(200, StorageViews.keyValueStore(stores.rename(c, id,
                            StorageRequests.newName(r, stores.get(c, id).name())), c));
                })
                .delete(prefix, r -> {
                    stores.delete(callers.apply(r), ref.apply(r));
                    return ApiResponse.noContent();
                })
                .get(prefix + "/keys", r -> keys(r, ref.apply(r)))
                .get(prefix + "/records/{key+}", r -> record(r, ref.apply(r), r.pathParam("key")))
                .put(prefix + "/records/{key+}", r -> putRecord(r, ref.apply(r)))
                .post(prefix + "/records/{key+}", r -> putRecord(r, ref.apply(r)))
                .delete(prefix + "/records/{key+}", r -> {
                    stores.deleteRecord(callers.apply(r), ref.apply(r), r.pathParam("key"));
                    return ApiResponse.noContent();
                });
    }

    /** A record's raw bytes with its stored Content-Type; 404 when the store has no such key. */
    ApiResponse record(ApiRequest r, String storeRef, String key) {
        KvRecord record = stores.record(callers.apply(r), storeRef, key)
                .orElseThrow(() -> ApiException.notFound("Record", key));
        return ApiResponse.bytes(200, record.contentType(), record.value());
    }

    private ApiResponse getOrCreate(ApiRequest r) {
        Caller c = callers.apply(r);
        StorageRegistry.Opened opened = stores.getOrCreate(c, r.query("name"));
        return ApiResponse.data(opened.created() ? 201 : 200, StorageViews.keyValueStore(opened.meta(), c));
    }

    private ApiResponse putRecord(ApiRequest r, String storeRef) {
        stores.putRecord(callers.apply(r), storeRef, r.pathParam("key"), r.contentType(), r.body());
        return ApiResponse.json(201, Map.of());
    }

    private ApiResponse keys(ApiRequest r, String storeRef) {
        int limit = (int) Math.min(StorageRequests.nonNegative(r, "limit").filter(l -> l > 0)
                .orElse((long) KeyValueStore.MAX_KEYS), KeyValueStore.MAX_KEYS);
        KeyValueStore.KeyPage page = stores.keys(callers.apply(r), storeRef, r.query("exclusiveStartKey"), limit,
                r.query("prefix"));
        return ApiResponse.data(200, new KeyListDto(page.items().stream()
                .map(k -> new KeyListDto.Key(k.key(), k.size())).toList(), page.items().size(), page.limit(),
                page.exclusiveStartKey(), page.isTruncated(), page.nextExclusiveStartKey()));
    }
}
